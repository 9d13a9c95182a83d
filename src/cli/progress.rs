//! A one-line progress note on stderr while slow cluster reads run, shown only on a terminal.

use std::io::{IsTerminal, Write};

/// A shown note; dropping it erases the line.
#[derive(Debug)]
pub struct Progress {
    shown: bool,
}

impl Progress {
    /// Shows `message` on stderr when stderr is a terminal; otherwise does nothing.
    pub fn start(message: &str) -> Progress {
        let mut stderr = std::io::stderr().lock();
        let shown = stderr.is_terminal() && write!(stderr, "{message}…").is_ok();
        let _ = stderr.flush();
        Progress { shown }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}
