//! `jobscout-sim`: a stand-in for the outside world Jobscout talks to (ATS APIs, careers pages,
//! job boards, vLLM), for tests, benchmarks and the offline demo. Usable as a library: start
//! it on a random port, read its world and request counters.

pub mod dates;
pub mod faults;
pub mod providers;
mod rng;
pub mod server;
pub mod world;

use std::net::SocketAddr;
use std::sync::Arc;
use world::WorldSpec;

/// A running simulator.
pub struct Sim {
    pub addr: SocketAddr,
    pub state: Arc<server::SimState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Sim {
    /// Generates the world and serves it on `addr` (port 0 picks a free port).
    pub async fn start(spec: WorldSpec, addr: SocketAddr) -> std::io::Result<Self> {
        Self::start_with(spec, addr, Vec::new(), None).await
    }

    /// As [`Sim::start`], with faults in force from the start and an optional per-host limit
    /// in requests per second.
    pub async fn start_with(
        spec: WorldSpec,
        addr: SocketAddr,
        faults: Vec<faults::Fault>,
        rate_limit: Option<u32>,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(server::SimState::new(
            spec,
            format!("http://{addr}"),
            faults,
            rate_limit,
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
