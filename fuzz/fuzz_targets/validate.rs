//! Feeds arbitrary bytes to everything that reads untrusted text: the manifest loader, the
//! validator (lenient and strict) and the yaml.v2-faithful parser used for Secrets such as
//! `additionalScrapeConfigs`. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use promop::schema::{self, Options, Source};
use promop::snapshot::Snapshot;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Snapshot::default().load("fuzz.yaml", text);
    let _ = promop::yaml::parse_map_slices(text);
    if let Ok(source) = Source::read("fuzz.yaml", text) {
        let sources = [source];
        let report = schema::validate(&sources, &Options::default());
        let _ = report.problems.iter().map(ToString::to_string).count();
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        let _ = schema::validate(&sources, &strict);
    }
});
