//! The mailbox: messages the probes provoke, read and judged. `message` parses and
//! classifies one message and matches it to its probe; `maildir` reads a Maildir, the
//! on-disk format real servers (Dovecot among them) use. The IMAP backend joins with the
//! probes (issue #4).

pub mod maildir;
pub mod message;
