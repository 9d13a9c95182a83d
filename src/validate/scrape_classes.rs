//! Scrape classes: a monitor may only name a scrape class its Prometheus defines (upstream
//! `ResourceSelector.validateScrapeClass`).

use crate::validate::{Check, Checked, Context, fail};

pub(super) fn scrape_class(ctx: &Context<'_>, name: Option<&str>, field: &str) -> Checked {
    match name {
        None | Some("") => Ok(()),
        Some(name) if ctx.common.scrape_classes.iter().any(|c| c.name == name) => Ok(()),
        Some(name) => fail(
            Check::ScrapeClass,
            field,
            format!("scrapeClass {name:?} not found in Prometheus scrapeClasses"),
        ),
    }
}
