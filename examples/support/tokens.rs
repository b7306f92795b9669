//! html5ever's tokenizer run over a whole page into a sink, for the benchmarks that time the
//! tokenizer without the tree builder.

use html5ever::tokenizer::{BufferQueue, TokenSink, Tokenizer, TokenizerOpts};

/// Tokenizes `page` into `sink`, then gives what `read` takes from the sink.
pub fn tokenize<S: TokenSink, R>(sink: S, page: &str, read: impl FnOnce(&S) -> R) -> R {
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(page.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    read(&tokenizer.sink)
}
