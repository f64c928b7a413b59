//! The refresh token on disk: read before every refresh (another triaje — `once`, `oauth login` — may have
//! rotated it), and rewritten atomically when the provider rotates it, under a lock so two processes never spend
//! the same token.
//!
//! The new token goes to a temporary file beside the old one, is flushed to disk, and only then renamed over it:
//! at every instant the file holds either the old token or the new one, complete.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Secret;

/// Reads the token (first line of the file).
pub(crate) fn read(path: &Path) -> Result<Secret, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "no existe el archivo del token de actualización {}: obténgalo con «triaje oauth login --mailbox \
                 BUZÓN»",
                path.display()
            )
        } else {
            format!(
                "no se pudo leer el archivo del token de actualización {}: {e}",
                path.display()
            )
        }
    })?;
    match text.lines().next().map(str::trim) {
        Some(token) if !token.is_empty() => Ok(Secret::new(token)),
        _ => Err(format!(
            "el archivo del token de actualización {} está vacío: obténgalo con «triaje oauth login --mailbox \
             BUZÓN»",
            path.display()
        )),
    }
}

/// Replaces the token with `token`, atomically (temporary file, fsync, rename, fsync of the directory), readable
/// by its owner only.
pub(crate) fn write(path: &Path, token: &Secret) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temporary = temporary_name(path);
    let result = (|| {
        let mut file = open_private(&temporary, true)?;
        file.write_all(token.expose().as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)?;
        // The rename itself must reach the disk, or a power cut could bring the old name back.
        File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn temporary_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".nuevo-{}", std::process::id()));
    path.with_file_name(name)
}

/// Opens `path` for writing, created readable by its owner only; `truncate` empties an existing file.
#[cfg(unix)]
fn open_private(path: &Path, truncate: bool) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(truncate)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path, truncate: bool) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(truncate)
        .open(path)
}

/// An exclusive lock on `<file>.lock`, held while a refresh is under way (released on drop).
pub(crate) struct RefreshLock {
    _file: File,
}

/// Takes the lock, waiting for another process's refresh to end (it takes at most the HTTP timeout).
pub(crate) async fn lock(path: &Path) -> Result<RefreshLock, String> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    tokio::task::spawn_blocking(move || {
        let file = open_private(&lock_path, false).map_err(|e| {
            format!(
                "no se pudo crear el bloqueo {} junto al token de actualización: {e}",
                lock_path.display()
            )
        })?;
        flock_exclusive(&file)
            .map_err(|e| format!("no se pudo bloquear {}: {e}", lock_path.display()))?;
        Ok(RefreshLock { _file: file })
    })
    .await
    .map_err(|e| format!("el bloqueo del token de actualización falló: {e}"))?
}

#[cfg(unix)]
fn flock_exclusive(file: &File) -> std::io::Result<()> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a file descriptor we own; it stays open as long as the lock is held.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn flock_exclusive(_file: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotated_token_replaces_the_old_one_whole_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("consultas.token");
        std::fs::write(&path, "viejo\n").unwrap();
        write(&path, &Secret::new("nuevo")).unwrap();
        assert_eq!(read(&path).unwrap().expose(), "nuevo");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by others: {mode:o}");
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn a_failed_rewrite_keeps_the_old_token() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("consultas.token");
        std::fs::write(&path, "viejo\n").unwrap();
        // A directory where the temporary file should go: the write fails before touching the token.
        std::fs::create_dir(temporary_name(&path)).unwrap();
        assert!(write(&path, &Secret::new("nuevo")).is_err());
        assert_eq!(read(&path).unwrap().expose(), "viejo");
    }

    #[test]
    fn a_missing_token_file_says_how_to_get_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(&dir.path().join("nada")).unwrap_err();
        assert!(err.contains("triaje oauth login"), "{err}");
    }
}
