//! Maildir (and Maildir++ folders): each message a file in `new/` or `cur/`, folders as
//! `.Name` subdirectories. The arrival time is the file's modification time: delivery writes
//! the file once, and that is when the message landed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

/// A message file in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// `INBOX`, or the Maildir++ folder name (`Junk`, `Trash`, `Archive.2026`).
    pub folder: String,
    pub path: PathBuf,
    /// Seconds since the Unix epoch.
    pub arrived_at: i64,
}

fn folder_name(dir_name: &str) -> Option<String> {
    dir_name
        .strip_prefix('.')
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

fn messages_in(folder: &str, dir: &Path, out: &mut Vec<Stored>) {
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let arrived_at = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            out.push(Stored {
                folder: folder.to_string(),
                path,
                arrived_at,
            });
        }
    }
}

/// Every message in the Maildir at `root` and its folders, oldest first.
///
/// # Errors
/// `root` is not a Maildir (no `cur`, `new` and `tmp`): a typo in the path must not read
/// as "no replies".
pub fn list(root: &Path) -> Result<Vec<Stored>, String> {
    let is_maildir = ["cur", "new", "tmp"].iter().all(|d| root.join(d).is_dir());
    if !is_maildir {
        return Err(format!(
            "{} is not a Maildir (it has no cur/, new/ and tmp/)",
            root.display()
        ));
    }
    let mut found = Vec::new();
    messages_in("INBOX", root, &mut found);
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(folder) = folder_name(&name)
                && entry.path().is_dir()
            {
                messages_in(&folder, &entry.path(), &mut found);
            }
        }
    }
    found.sort_by(|a, b| {
        a.arrived_at
            .cmp(&b.arrived_at)
            .then_with(|| a.path.cmp(&b.path))
    });
    Ok(found)
}

/// Whether a folder is where mail nobody reads goes.
pub fn is_junk_or_trash(folder: &str) -> bool {
    let lower = folder.to_lowercase();
    [
        "junk",
        "spam",
        "trash",
        "deleted",
        "bulk",
        "спам",
        "корзина",
        "удалённые",
        "удаленные",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// Delivers a message into a Maildir the way an MTA does: written in `tmp/`, then moved to
/// `new/` in one step, so a reader never sees half a message.
///
/// # Errors
/// The folder cannot be written.
pub fn deliver(root: &Path, raw: &[u8]) -> std::io::Result<PathBuf> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "{}.{}_{}.doorbell-demo",
        crate::clock::now(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let tmp = root.join("tmp").join(&name);
    std::fs::write(&tmp, raw)?;
    let new = root.join("new").join(&name);
    std::fs::rename(&tmp, &new)?;
    Ok(new)
}

/// Creates an empty Maildir at `root`.
///
/// # Errors
/// The folders cannot be created.
pub fn create(root: &Path) -> std::io::Result<()> {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(root.join(sub))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maildir(root: &Path) {
        for d in ["cur", "new", "tmp", ".Junk/cur", ".Junk/new", ".Junk/tmp"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
    }

    #[test]
    fn inbox_and_folders_are_listed_and_junk_is_recognised() {
        let dir = tempfile::tempdir().unwrap();
        maildir(dir.path());
        std::fs::write(dir.path().join("new/1.host"), b"Subject: a\r\n\r\nx").unwrap();
        std::fs::write(dir.path().join("cur/2.host:2,S"), b"Subject: b\r\n\r\nx").unwrap();
        std::fs::write(dir.path().join(".Junk/new/3.host"), b"Subject: c\r\n\r\nx").unwrap();
        let listed = list(dir.path()).unwrap();
        let folders: Vec<&str> = listed.iter().map(|s| s.folder.as_str()).collect();
        assert_eq!(listed.len(), 3);
        assert_eq!(folders.iter().filter(|f| **f == "INBOX").count(), 2);
        assert!(folders.contains(&"Junk"));
        assert!(
            is_junk_or_trash("Junk")
                && is_junk_or_trash("INBOX.Спам")
                && !is_junk_or_trash("INBOX")
        );
    }

    #[test]
    fn a_path_that_is_not_a_maildir_is_an_error_not_an_empty_mailbox() {
        let dir = tempfile::tempdir().unwrap();
        let err = list(&dir.path().join("nope")).unwrap_err();
        assert!(err.contains("not a Maildir"));
    }
}
