use clap::Parser;
use sim::{Sim, faults::Fault, world::WorldSpec};
use std::net::SocketAddr;

/// A simulator of the services Jobscout collects from: ATS job-board APIs (Greenhouse, Lever,
/// Ashby, Workable, SmartRecruiters, Recruitee) and careers sites, with faults, a per-host rate
/// limit, and a control API under /_sim/ (world, requests, config, faults).
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
    /// Faults, comma-separated: PROVIDER=KIND[:ARG][@COUNT] where PROVIDER is greenhouse,
    /// lever, ashby, workable, smartrecruiters, recruitee, careers or * and KIND is one of
    /// latency:MS, 429:RETRY_AFTER_SECS, 500 (any 4xx/5xx), hang, reset, truncated, malformed,
    /// html, huge:MIB, drip:MS; @COUNT limits it to the next COUNT requests.
    /// Example: --faults 'greenhouse=429:2@3,lever=hang'
    #[arg(long, value_delimiter = ',', value_parser = Fault::parse, value_name = "SPEC")]
    faults: Vec<Fault>,
    /// Answer 429 (Retry-After: 1) to any host sending more than N requests in a second
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
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
    let sim = Sim::start_with(spec, args.addr, args.faults, args.rate_limit).await?;
    println!(
        "jobscout-sim listening on {} ({} companies, {total} jobs)",
        sim.base_url(),
        args.companies
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
