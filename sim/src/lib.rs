//! `jobscout-sim`: a stand-in for the outside world Jobscout talks to (ATS APIs, careers pages,
//! job boards, vLLM), for tests, benchmarks and the offline demo. Usable as a library: start
//! it on a random port, read its world and request counters.

pub mod dates;
pub mod faults;
pub mod providers;
mod rng;
pub mod server;
pub mod vllm;
pub mod world;

use std::net::SocketAddr;
use std::sync::Arc;
use world::WorldSpec;

/// How a simulator behaves beyond its world.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Faults in force from the start.
    pub faults: Vec<faults::Fault>,
    /// Requests per second allowed per host before answering 429.
    pub rate_limit: Option<u32>,
    /// The vLLM stand-in's model, context, latency and concurrency.
    pub llm: vllm::LlmOptions,
}

/// A running simulator.
pub struct Sim {
    pub addr: SocketAddr,
    pub state: Arc<server::SimState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Sim {
    /// Generates the world and serves it on `addr` (port 0 picks a free port).
    pub async fn start(spec: WorldSpec, addr: SocketAddr) -> std::io::Result<Self> {
        Self::start_with(spec, addr, Options::default()).await
    }

    /// As [`Sim::start`], with faults, a rate limit or a model of one's own.
    pub async fn start_with(
        spec: WorldSpec,
        addr: SocketAddr,
        options: Options,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(server::SimState::new(
            spec,
            format!("http://{addr}"),
            options,
        ));
        let router = server::router(state.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            state,
            shutdown: Some(tx),
        })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
