#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test.
# Installs what the tests need when it is missing: Debian's dnsmasq-base (a real DNS server
# for the MX tests; the mailbox tests will add dovecot-imapd here).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need cargo; then
  echo "tests/run.sh: cargo is missing; install Rust from https://rustup.rs" >&2
  exit 2
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

missing=()
need dnsmasq || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${missing[*]}" >&2
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
