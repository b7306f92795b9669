//! The integration tests in one binary: each of these 17 files was a binary of its own, linked
//! against the whole dependency tree and compiling the shared harness (`common`) again — 106 s
//! of building on CI's two cores, against 64 s as one. The files stay one module each:
//! `cargo test --test suite crawl::` runs one of them. `tests/hostile.rs` stays apart: it
//! measures a child's peak memory, which Linux starts at the parent's.

mod common;

mod browser;
mod cli;
mod crawl;
mod findings;
mod forms;
mod inventory;
mod mail_dns;
mod mailbox;
mod mentions;
mod phone_reference;
mod places;
mod portfolio;
mod probes;
mod render;
mod reports;
mod rule_examples;
mod snapshots;
