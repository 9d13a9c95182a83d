//! Conformance: `relabel/` corpus (being written).

#[path = "support/conformance.rs"]
mod conformance;

fn main() {
    conformance::run("relabel", false, |_dir, _case| {
        conformance::Outcome::Fail("not implemented yet".to_owned())
    })
}
