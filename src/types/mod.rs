//! The vocabulary handed from one stage to another. A type here belongs to no stage: the one
//! that writes it and the ones that read it all import it from here, so no stage has to reach
//! into another's internals (lychee's `types/` is the model).
//!
//! - `link`: a link on a page (extract → crawl).
//! - `contact`: the words of a contact point (extract → inventory → checks, probes, reports).
//! - `crawl`: what the crawl did per URL (crawl → reports).
//! - `facts`: what was learnt beyond the pages (facts → inventory → checks, reports).
//! - `probe`: one probe's facts (probe → live rules, baseline, reports).
//! - `http`: how every request is made (crawl, facts, probes).
//! - `render`: what looking through a browser did (render → reports).

pub mod contact;
pub mod crawl;
pub mod facts;
pub mod http;
pub mod link;
pub mod probe;
pub mod render;
