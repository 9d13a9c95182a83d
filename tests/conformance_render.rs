//! Conformance: `render/` corpus (being written).

#[path = "support/conformance.rs"]
mod conformance;

fn main() {
    conformance::run("render", true, |_dir, _case| {
        conformance::Outcome::Fail("not implemented yet".to_owned())
    })
}
