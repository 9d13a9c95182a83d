//! Tests of the routing tree as a whole: loading, matching, trace, inhibition.
