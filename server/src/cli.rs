//! Command-line interface. `--config` and `--db` are global: they apply to every command.

use crate::{startup, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};
use engine::config::{self, Overrides};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "jobscout",
    version,
    about = "Jobscout: a local-first job-search workspace."
)]
pub struct Cli {
    /// Configuration file [default: ./config.yaml when it exists, else built-in defaults]
    #[arg(long, global = true, env = "JOBSCOUT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// SQLite database file (overrides database.path)
    #[arg(long, global = true, env = "JOBSCOUT_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default command)
    Serve {
        /// Address to listen on (overrides server.addr)
        #[arg(long, value_name = "HOST:PORT")]
        addr: Option<String>,
    },
    /// Print the effective configuration (secrets masked) as YAML and exit
    Config,
    /// Fill the database with realistic synthetic jobs (for benchmarks and trying the UI)
    Seed {
        /// How many jobs to create
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        synthetic: u64,
        /// World seed: the same seed gives the same jobs (seeding again changes nothing)
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Add a company by its careers URL (checked with one fetch), or list companies
    Company {
        #[command(subcommand)]
        action: CompanyAction,
    },
    /// Collect companies now, with a progress bar; the exit code is the run's health
    /// (0 succeeded, 2 partial, 1 failed, 130 cancelled)
    Scrape {
        /// A company id (repeatable; see `jobscout company list`)
        #[arg(long = "company", value_name = "ID", required_unless_present = "all")]
        companies: Vec<i64>,
        /// Every enabled company
        #[arg(long, conflicts_with = "companies")]
        all: bool,
    },
    /// Copy the database to FILE, consistently, while Jobscout may be running (restore: stop
    /// Jobscout and put the copy in the database's place)
    Backup {
        /// The new file (an existing file is never overwritten)
        file: PathBuf,
    },
    /// Read a password from standard input and print its argon2id hash, for
    /// server.password_hash (required before listening on an address other machines can reach)
    HashPassword,
    /// Normalize a saved provider payload and print one JSON object per job
    Parse {
        /// greenhouse, lever, ashby, workable, smartrecruiters, recruitee or jsonld
        #[arg(long, value_name = "NAME")]
        source: String,
        /// The saved payload: a list or a single posting; for jsonld a page or a JSON-LD block
        file: PathBuf,
        /// The page or board address, where the payload does not carry one
        #[arg(long)]
        url: Option<String>,
        /// The company's name, where the payload does not carry one
        #[arg(long)]
        company: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CompanyAction {
    /// Recognise careers URLs (ATS boards or careers pages), check each, add the companies
    Add {
        /// One URL, or several: each is checked and added in turn, and one that fails does not
        /// stop the others
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// The company's name (one URL only) [default: the board's, else its token]
        #[arg(long)]
        name: Option<String>,
    },
    /// List the companies
    List,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = cli.command.unwrap_or(Command::Serve { addr: None });
    let addr = match &command {
        Command::Serve { addr } => addr.clone(),
        Command::Config
        | Command::Seed { .. }
        | Command::Parse { .. }
        | Command::Company { .. }
        | Command::Backup { .. }
        | Command::HashPassword
        | Command::Scrape { .. } => None,
    };
    let overrides = Overrides {
        db_path: cli.db,
        addr,
    };
    let config_file = config::config_file(cli.config.as_deref());
    let config = config::load(cli.config.as_deref(), std::env::vars(), &overrides)?;

    match command {
        Command::Serve { .. } => {
            telemetry::init(telemetry::filter(&config.log.level)?);
            startup::serve(config, config_file).await
        }
        Command::Seed { synthetic, seed } => {
            telemetry::init(telemetry::filter(&config.log.level)?);
            let db = engine::Database::open(&config.database).await?;
            let total = synthetic as usize;
            let mut last = 0;
            let report = crate::seed::seed(&db, total, seed, |done| {
                if done == total {
                    eprintln!("stored {done} jobs; building the indexes and the search index");
                } else if done - last >= 50_000 {
                    eprintln!("seeded {done} of {total} jobs");
                    last = done;
                }
            })
            .await?;
            db.close().await;
            println!(
                "{} jobs in {} companies ({} new, {} already there) in {:.1} s \
                 ({:.1} s of it building indexes): {:.0} jobs/s",
                total,
                report.companies,
                report.counts.inserted,
                report.counts.unchanged + report.counts.updated,
                report.seconds,
                report.indexing_seconds,
                total as f64 / report.seconds.max(0.001)
            );
            Ok(())
        }
        Command::Company { action } => {
            telemetry::init(telemetry::filter(&config.log.level)?);
            let db = engine::Database::open(&config.database).await?;
            let result = match action {
                CompanyAction::Add { urls, name } => {
                    crate::collect::company_add_all(&config, &db, &urls, name.as_deref()).await
                }
                CompanyAction::List => crate::collect::company_list(&db).await,
            };
            db.close().await;
            result
        }
        Command::HashPassword => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            let hash = crate::http::auth::hash_password(password).map_err(anyhow::Error::msg)?;
            println!("{hash}");
            Ok(())
        }
        Command::Backup { file } => {
            telemetry::init(telemetry::filter(&config.log.level)?);
            let db = engine::Database::open(&config.database).await?;
            let started = std::time::Instant::now();
            let result = db.backup(&file).await;
            db.close().await;
            let bytes = result.with_context(|| format!("cannot back up to {}", file.display()))?;
            println!(
                "backed up {} to {} ({:.1} MB) in {:.1} s",
                config.database.path.display(),
                file.display(),
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Scrape { companies, all } => {
            telemetry::init(telemetry::filter(&config.log.level)?);
            let db = engine::Database::open(&config.database).await?;
            db.mark_interrupted(engine::store::unix_now()).await?;
            let code = crate::collect::scrape(&config, &db, &companies, all).await;
            db.close().await;
            match code? {
                0 => Ok(()),
                code => std::process::exit(code),
            }
        }
        Command::Parse {
            source,
            file,
            url,
            company,
        } => {
            let body =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let jobs = engine::sources::parse_saved(
                &source,
                &body,
                url.as_deref(),
                company.as_deref(),
                engine::store::unix_now(),
            )
            .with_context(|| file.display().to_string())?;
            let mut out = std::io::stdout().lock();
            for job in &jobs {
                use std::io::Write;
                serde_json::to_writer(&mut out, job)?;
                writeln!(out)?;
            }
            Ok(())
        }
        Command::Config => {
            let yaml =
                config::to_yaml(&config.redacted()).context("rendering the configuration")?;
            print!("{yaml}");
            Ok(())
        }
    }
}
