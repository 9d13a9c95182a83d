//! Loads arbitrary bytes as manifests and validates them: nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promop::schema::{self, Options, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(source) = Source::read("fuzz.yaml", text) {
        let sources = [source];
        let report = schema::validate(&sources, &Options::default());
        let _ = report.problems.iter().map(ToString::to_string).count();
        let strict = Options {
            strict: true,
            live: None,
        };
        let _ = schema::validate(&sources, &strict);
    }
});
