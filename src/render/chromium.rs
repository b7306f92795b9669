//! Finding Chromium and the flags it runs with: headless, alone (no sync, no updates, no
//! background traffic of its own), and with the user's `--resolve` names mapped as the crawler
//! maps them.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chromiumoxide::browser::BrowserConfig;

/// The names Chromium goes by on PATH, tried in this order.
pub const NAMES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "chrome"];

/// The browser to run: `explicit` (`--chromium`), else the first of [`NAMES`] on PATH.
///
/// # Errors
/// `explicit` is not an executable file, or none is on PATH; the message says what to do.
pub fn find(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return if is_executable(path) {
            Ok(path.to_path_buf())
        } else {
            Err(format!(
                "--chromium {}: no such executable file",
                path.display()
            ))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| NAMES.iter().map(move |name| dir.join(name)))
        .find(|candidate| is_executable(candidate))
        .ok_or_else(|| {
            "no Chromium found (looked for chromium, chromium-browser and google-chrome on PATH); \
             install it (Debian: apt install chromium) or name it with --chromium PATH"
                .to_string()
        })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The desktop window pages are rendered in, in CSS px.
pub const DESKTOP: (u32, u32) = (1366, 900);

/// Chromium's `--host-resolver-rules` for `--resolve`'s names: `MAP shop.example 127.0.0.1`.
pub fn resolver_rules(resolve: &[(String, IpAddr)]) -> Option<String> {
    let rules: Vec<String> = resolve
        .iter()
        .map(|(host, address)| match address {
            IpAddr::V4(v4) => format!("MAP {host} {v4}"),
            IpAddr::V6(v6) => format!("MAP {host} [{v6}]"),
        })
        .collect();
    (!rules.is_empty()).then(|| rules.join(", "))
}

/// The browser's settings: a profile of its own in `profile`, a desktop window, every
/// connection through the proxy at `gate` (loopback included: Chromium bypasses a proxy for
/// loopback unless told `<-loopback>`).
///
/// # Errors
/// chromiumoxide refused the settings.
pub fn config(
    executable: &Path,
    profile: &Path,
    resolve: &[(String, IpAddr)],
    gate: std::net::SocketAddr,
) -> Result<BrowserConfig, String> {
    let mut builder = BrowserConfig::builder()
        .chrome_executable(executable)
        .user_data_dir(profile)
        .new_headless_mode()
        // The audit runs in containers and CI runners as root, where the sandbox cannot start.
        .no_sandbox()
        .window_size(DESKTOP.0, DESKTOP.1)
        .viewport(None)
        .enable_request_intercept()
        .launch_timeout(std::time::Duration::from_secs(30))
        .request_timeout(std::time::Duration::from_secs(30))
        // Without these it keeps trying to reach Google's services on its own.
        .args([
            "disable-gpu",
            "disable-quic",
            "disable-component-update",
            "disable-domain-reliability",
            "no-pings",
            "no-default-browser-check",
            "blink-settings=imagesEnabled=false",
        ])
        .arg(format!("proxy-server=http://{gate}"))
        .arg("proxy-bypass-list=<-loopback>");
    if let Some(rules) = resolver_rules(resolve) {
        builder = builder.arg(format!("host-resolver-rules={rules}"));
    }
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_names_become_resolver_rules() {
        let rules = resolver_rules(&[
            ("shop.example".into(), "127.0.0.1".parse().unwrap()),
            ("chat.example".into(), "::1".parse().unwrap()),
        ]);
        assert_eq!(
            rules.as_deref(),
            Some("MAP shop.example 127.0.0.1, MAP chat.example [::1]")
        );
        assert_eq!(resolver_rules(&[]), None);
    }

    #[test]
    fn a_named_browser_that_is_not_there_is_a_clear_error() {
        let error = find(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(error.contains("/nonexistent/chromium"), "{error}");
    }
}
