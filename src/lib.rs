//! doorbell audits a company's contact surface: it crawls a site, extracts every phone,
//! e-mail, messenger link, form, widget, address and opening-hours statement, and reports
//! where each stands. See `DESIGN.md` for the flow: crawl → extract → inventory → report.

pub mod allocator;
pub mod app;
pub mod audit;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crawl;
pub mod error;
pub mod extract;
pub mod facts;
pub mod inventory;
pub mod journal;
pub mod lang;
pub mod mailbox;
pub mod portfolio;
pub mod probe;
pub mod render;
pub mod report;
pub mod rulebook;
pub mod text;
pub mod types;
