//! Conformance: every corpus of `../shared/conformance/` (or `$PROMOP_CONFORMANCE_DIR`) in one
//! test binary, one trial per case named `<corpus>::<case>`, and one summary line per corpus.
//! `cargo test --test conformance -- render::` runs one corpus.

mod alertmanager;
mod alertmanager_route;
mod alertmanager_select;
mod k8s_sd;
mod relabel;
mod render;
mod rules;
mod select;
mod statefulset;
mod support;

fn main() {
    support::run_all(&[
        render::corpus(),
        select::corpus(),
        relabel::corpus(),
        k8s_sd::corpus(),
        statefulset::corpus(),
        rules::corpus(),
        alertmanager_route::corpus(),
        alertmanager::corpus(),
        alertmanager_select::corpus(),
    ])
}
