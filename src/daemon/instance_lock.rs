//! One `triaje run` per SQLite store: a second one started by mistake refuses to run.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::DaemonError;

/// An exclusive lock on `<data_dir>/triaje.lock`, held for as long as this value lives.
///
/// The operating system releases it when the process dies, even by SIGKILL, so a crash never leaves a
/// stale lock behind.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

impl InstanceLock {
    /// Takes the lock, or says which process should be stopped first.
    pub fn acquire(data_dir: &Path) -> Result<InstanceLock, DaemonError> {
        let path = data_dir.join("triaje.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| DaemonError::DataDir {
                path: path.clone(),
                source: e,
            })?;
        match file.try_lock() {
            Ok(()) => {
                // Record who holds it, for the message the next one will show.
                let _ = file.set_len(0);
                let _ = std::fs::write(&path, format!("{}\n", std::process::id()));
                Ok(InstanceLock { _file: file, path })
            }
            Err(_) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                Err(DaemonError::AlreadyRunning(format!(
                    "ya hay un triaje en ejecución con este almacenamiento (proceso {}, bloqueo {}); \
                     deténgalo antes de iniciar otro, o use PostgreSQL para varias instancias",
                    holder.trim(),
                    path.display()
                )))
            }
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_instance_on_the_same_data_dir_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let first = InstanceLock::acquire(dir.path()).unwrap();
        let second = InstanceLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(second.contains("ya hay un triaje en ejecución"), "{second}");
        drop(first);
        assert!(InstanceLock::acquire(dir.path()).is_ok());
    }
}
