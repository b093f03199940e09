use clap::Parser;
use sim::{Options, Sim, faults::Fault, vllm::LlmOptions, world::WorldSpec};
use std::net::SocketAddr;
use std::time::Duration;

/// A simulator of the services Jobscout collects from: ATS job-board APIs (Greenhouse, Lever,
/// Ashby, Workable, SmartRecruiters, Recruitee), careers sites, job-board APIs (Remotive,
/// RemoteOK, Arbeitnow) and an OpenAI-compatible vLLM server, with faults, a per-host rate
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
    /// lever, ashby, workable, smartrecruiters, recruitee, careers, remotive, remoteok,
    /// arbeitnow, vllm or * and KIND is one of
    /// latency:MS, 429:RETRY_AFTER_SECS, 500 (any 4xx/5xx), hang, reset, truncated, malformed,
    /// html, huge:MIB, drip:MS; @COUNT limits it to the next COUNT requests.
    /// Example: --faults 'greenhouse=429:2@3,lever=hang'
    #[arg(long, value_delimiter = ',', value_parser = Fault::parse, value_name = "SPEC")]
    faults: Vec<Fault>,
    /// Answer 429 (Retry-After: 1) to any host sending more than N requests in a second
    #[arg(long, value_name = "N")]
    rate_limit: Option<u32>,
    /// Model name the vLLM stand-in serves (requests naming another get 404)
    #[arg(
        long,
        default_value = "Qwen/Qwen3-4B-Instruct-2507-FP8",
        value_name = "NAME"
    )]
    llm_model: String,
    /// The stand-in model's context window in tokens (vLLM --max-model-len)
    #[arg(long, default_value_t = 8192, value_parser = clap::value_parser!(u32).range(256..=1_048_576))]
    llm_max_model_len: u32,
    /// Milliseconds before a completion's first token
    #[arg(long, default_value_t = 0, value_name = "MS")]
    llm_latency_ms: u64,
    /// Milliseconds per generated token (a 4B model on one GPU: about 5)
    #[arg(long, default_value_t = 0, value_name = "MS")]
    llm_ms_per_token: u64,
    /// Completions generated at once (vLLM --max-num-seqs); more wait in a queue
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=4096))]
    llm_concurrency: u32,
    /// Require this bearer token on /v1/* (vLLM --api-key)
    #[arg(long, value_name = "KEY")]
    llm_api_key: Option<String>,
    /// Answer errors in the flat {"object":"error",...} body of older vLLM versions
    #[arg(long)]
    llm_legacy_errors: bool,
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
    let options = Options {
        faults: args.faults,
        rate_limit: args.rate_limit,
        llm: LlmOptions {
            model: args.llm_model,
            max_model_len: args.llm_max_model_len as usize,
            latency: Duration::from_millis(args.llm_latency_ms),
            per_token: Duration::from_millis(args.llm_ms_per_token),
            concurrency: args.llm_concurrency as usize,
            api_key: args.llm_api_key,
            legacy_errors: args.llm_legacy_errors,
        },
    };
    let sim = Sim::start_with(spec, args.addr, options).await?;
    println!(
        "jobscout-sim listening on {} ({} companies, {total} jobs)",
        sim.base_url(),
        args.companies
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}
