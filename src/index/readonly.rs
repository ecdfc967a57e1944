//! An index folder that may not be written: a read-only mount, a shared snapshot, a folder
//! owned by someone else. tantivy takes a lock file even to read; this directory grants read
//! locks without a file and refuses every write with the reason, so a current index can still
//! answer (`--no-refresh`, or a run where nothing changed) and a sync that needs to write
//! says why it cannot.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

#[derive(Debug, Clone)]
pub struct ReadOnlyDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl ReadOnlyDirectory {
    pub fn open(dir: &Path) -> tantivy::Result<ReadOnlyDirectory> {
        Ok(ReadOnlyDirectory {
            inner: MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
        })
    }

    fn refused(&self, path: &Path) -> Arc<std::io::Error> {
        Arc::new(std::io::Error::new(
            std::io::ErrorKind::ReadOnlyFilesystem,
            format!("the index folder {} is read-only", self.root.join(path).display()),
        ))
    }
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: self.refused(path),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: self.refused(path),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::ReadOnlyFilesystem,
            self.refused(path).to_string(),
        ))
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    /// Readers need no lock when nothing can write; a writer's lock is refused.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        if lock.filepath == tantivy::directory::INDEX_WRITER_LOCK.filepath {
            return Err(LockError::IoError(self.refused(&lock.filepath)));
        }
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}
