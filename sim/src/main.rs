use clap::Parser;
use sim::{Sim, world::WorldSpec};
use std::net::SocketAddr;

/// A simulator of the services Jobscout collects from: ATS job-board APIs (Greenhouse, Lever,
/// Ashby so far), with a control API under /_sim/ (world, requests, config).
#[derive(Debug, Parser)]
#[command(name = "jobscout-sim", version)]
struct Args {
    /// Address to listen on (loopback only unless you mean it)
    #[arg(long, default_value = "127.0.0.1:4000", value_name = "HOST:PORT")]
    addr: SocketAddr,
    /// Number of simulated companies, spread over the providers
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    companies: u32,
    /// Jobs on each company's board
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    jobs: u32,
    /// Seed of the generated world: the same seed always gives the same world
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let total = u64::from(args.companies) * u64::from(args.jobs);
    anyhow::ensure!(
        total <= 100_000,
        "--companies × --jobs is {total}; the simulator holds at most 100,000 jobs"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs() as i64;
    let spec = WorldSpec {
        seed: args.seed,
        companies: args.companies as usize,
        jobs_per_company: args.jobs as usize,
        now,
    };
    let sim = Sim::start(spec, args.addr).await?;
    println!(
        "jobscout-sim listening on {} ({} companies, {total} jobs)",
        sim.base_url(),
        args.companies
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
