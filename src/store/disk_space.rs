//! The free space on the disk of a SQLite register: with the disk full nothing can be recorded, so the
//! coordinator is told before that happens (`triaje status`, the morning mail).

use std::path::Path;

/// Below this many bytes free, status and the morning mail warn.
pub const LOW_DISK_BYTES: u64 = 64 * 1024 * 1024;

/// Bytes available to an unprivileged writer on the file system holding `path`.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    let mut stat = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` points to writable memory of the right type;
    // statvfs only writes into it, and we read it only when the call succeeded.
    let rc = unsafe { libc::statvfs(c_path.as_ptr(), stat.as_mut_ptr()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs returned 0, so it filled the structure.
    let stat = unsafe { stat.assume_init() };
    // The field types differ between platforms (u32 on some 32-bit ones); widen without a lint per platform.
    #[allow(clippy::useless_conversion)]
    let (blocks, size) = (u64::from(stat.f_bavail), u64::from(stat.f_frsize));
    Ok(blocks.saturating_mul(size))
}

/// A warning in Spanish when the disk holding `data_dir` has less than [`LOW_DISK_BYTES`] free.
pub fn low_disk_warning(data_dir: &Path) -> Option<String> {
    let free = free_bytes(data_dir).ok()?;
    low_disk_text(data_dir, free)
}

fn low_disk_text(data_dir: &Path, free: u64) -> Option<String> {
    if free >= LOW_DISK_BYTES {
        return None;
    }
    let what = if free < 1024 * 1024 {
        "está lleno".to_string()
    } else {
        format!("tiene solo {} MB libres", free / (1024 * 1024))
    };
    Some(format!(
        "ATENCIÓN: el disco de la base de datos ({}) {what}. Con el disco lleno triaje no puede registrar ni \
         archivar (los mensajes esperan en la bandeja de entrada): libere espacio.",
        data_dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_only_when_space_runs_low_and_says_how_much() {
        let dir = Path::new("/var/lib/triaje");
        assert_eq!(low_disk_text(dir, LOW_DISK_BYTES), None);
        let low = low_disk_text(dir, 12 * 1024 * 1024).unwrap();
        assert!(
            low.contains("(/var/lib/triaje) tiene solo 12 MB libres"),
            "{low}"
        );
        let full = low_disk_text(dir, 4096).unwrap();
        assert!(full.contains("está lleno"), "{full}");
    }

    #[test]
    fn free_space_of_a_real_directory_is_read() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(dir.path()).unwrap() > 0);
        assert!(free_bytes(&dir.path().join("no-such-dir")).is_err());
    }
}
