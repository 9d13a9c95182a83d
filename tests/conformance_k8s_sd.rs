//! Conformance: `k8s-sd/` corpus (being written).

#[path = "support/conformance.rs"]
mod conformance;

fn main() {
    conformance::run("k8s-sd", false, |_dir, _case| {
        conformance::Outcome::Fail("not implemented yet".to_owned())
    })
}
