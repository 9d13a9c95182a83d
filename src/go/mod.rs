//! Parsers that behave as the Go libraries the operator calls, so that the operator's
//! refusals (and their messages) can be reproduced.

pub(crate) mod der;
pub(crate) mod json;
pub(crate) mod net;
pub(crate) mod pem;
pub(crate) mod strconv;
pub(crate) mod strings;
pub(crate) mod template;
pub(crate) mod time;
pub(crate) mod units;
pub(crate) mod url;
