//! Errors every layer may raise about what the user asked for. It sits at the bottom of the
//! house so that settings of any stage can say "this cannot work" without importing the
//! command line.

/// A setting the user gave that cannot work: the command exits with code 2 and the message.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
