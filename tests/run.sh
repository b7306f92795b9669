#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test.
# Installs what the tests need when it is missing (nothing beyond the Rust toolchain yet;
# the mailbox tests will add Debian's dovecot-imapd here).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need cargo; then
  echo "tests/run.sh: cargo is missing; install Rust from https://rustup.rs" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
