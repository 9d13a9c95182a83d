//! Parsers that behave as the Go libraries the operator calls, so that the operator's
//! refusals (and their messages) can be reproduced.

pub(super) mod der;
pub(crate) mod net;
pub(super) mod pem;
pub(crate) mod url;
