//! SQLite's memory statistics, turned off for the whole process.
//!
//! SQLite counts every allocation it makes (for `sqlite3_memory_used` and its soft heap
//! limit, neither of which Jobscout uses) under one global mutex, so every allocation of every
//! connection takes and releases that lock, and asks the allocator the block's size:
//! `pthread_mutex_lock`/`unlock`, futex waits and `sqlite3MemSize`, about 7 % of the writer's
//! CPU in a profile of `jobscout seed`, and a lock the readers share under load. Without the
//! statistics no allocation takes a lock.
//!
//! Tried and not kept: SQLite allocating through mimalloc (Rust's allocator in the server).
//! Searches were 29–42 % slower: FTS5 grows large buffers by reallocation, which glibc often
//! extends in place and mimalloc copies (docs/BENCHMARKS.md).

use libsqlite3_sys as ffi;
use std::os::raw::c_int;

/// Why SQLite kept its statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "SQLite refused the setting (code {0}): it was already in use; \
     it must be configured before the first database is opened"
)]
pub struct AlreadyInitialized(pub c_int);

/// Turns SQLite's memory statistics off. Must run before anything opens a database in this
/// process (SQLite accepts the change only before it initializes); after that it changes
/// nothing and says so.
///
/// # Safety
/// `sqlite3_config` is not thread-safe: no other thread may be using SQLite during the call
/// (in `main`, before anything has opened a database, none can be).
pub unsafe fn without_memory_statistics() -> Result<(), AlreadyInitialized> {
    // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int; SQLite returns SQLITE_MISUSE, changing
    // nothing, once it is initialized. Nothing else uses SQLite meanwhile (the caller's part).
    let rc = unsafe { ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int) };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(AlreadyInitialized(rc))
    }
}
