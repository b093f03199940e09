use clap::Parser;
use std::process::ExitCode;

/// mimalloc gives freed pages back to the system; glibc's malloc held on to them across its
/// arenas, and the server's RSS kept rising long after its caches were full.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    // Before anything opens a database: no lock around each of SQLite's allocations (see
    // `engine::store::heap`). Refused only once SQLite is running, which cannot have happened
    // yet; SQLite would then keep counting.
    // SAFETY: no thread has used SQLite yet; the runtime's workers are idle until `run`.
    if let Err(err) = unsafe { engine::store::heap::without_memory_statistics() } {
        eprintln!("jobscout: {err}");
    }
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` keeps the whole cause chain on one line.
            eprintln!("jobscout: {err:#}");
            ExitCode::FAILURE
        }
    }
}
