#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, every test.
# Installs what the tests need when it is missing: Debian's dnsmasq-base (a real DNS server
# for the MX tests) and dovecot-imapd + dovecot-lmtpd (a real IMAP server for the mailbox and
# probe tests; the harness starts its own instance in a temporary folder, never the system one),
# chromium (the HTML report is opened in a real headless browser) and libxml2-utils (xmllint
# validates the JUnit report against the schema CI importers accept), and openssl (the TLS
# tests make their own certificate authority with it).
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
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
need xmllint || missing+=(libxml2-utils)
need openssl || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "tests/run.sh: installing ${missing[*]}" >&2
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  # policy-rc.d keeps the packages from starting the system's own dovecot: the tests start theirs.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_ tee /usr/sbin/policy-rc.d >/dev/null
    $sudo_ chmod +x /usr/sbin/policy-rc.d
    remove_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ "${remove_policy:-0}" = 1 ]; then $sudo_ rm -f /usr/sbin/policy-rc.d; fi
fi
export PATH="$PATH:/usr/sbin"

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
