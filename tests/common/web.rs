//! triaje's web server (survey, dashboard, `/health`, `/metrics`) run inside the test over a register of its
//! own ([`Register`](super::register::Register)), for the web tests that fill the register by hand instead of through the mail stack; talked to with the
//! one [`Client`](super::http::Client).

use std::net::SocketAddr;

use tokio::sync::oneshot;
use triaje::web::{serve, WebState};

use super::http::{Client, Request, Response};

/// The web server running in the test's runtime on a free port; stopped by [`WebServer::stop`].
pub struct WebServer {
    /// Where it listens.
    pub address: SocketAddr,
    /// The client that talks to it, calling it by the test's host name.
    pub client: Client,
    /// Ends the server.
    stop: Option<oneshot::Sender<()>>,
}

impl WebServer {
    /// Serves `state` on 127.0.0.1; requests name it `host`.
    pub async fn start(state: WebState, host: &str) -> WebServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            serve(listener, state, async move {
                let _ = stopped.await;
            })
            .await
            .expect("serve");
        });
        WebServer {
            address,
            client: Client::new(address, host),
            stop: Some(stop),
        }
    }

    /// Sends `request` and reads the whole answer.
    pub async fn fetch(&self, request: Request) -> Response {
        self.client.fetch(request).await
    }

    /// Ends the server.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
