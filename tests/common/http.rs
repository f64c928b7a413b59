//! The one HTTP/1.1 client of the tests: a whole request written on a plain TCP connection to 127.0.0.1 with
//! `Connection: close`, the whole answer read back and split into status, headers and body. Written by hand (no
//! HTTP crate) so that what the tests send is exactly what a browser or a link checker would, byte for byte.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    /// Reads a whole answer; `None` when it has no status line.
    pub fn parse(raw: &[u8]) -> Option<Response> {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text.as_ref(), ""));
        let mut lines = head.lines();
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Some(Response {
            status,
            headers,
            body: body.to_string(),
        })
    }

    /// The first header of this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    method: String,
    path: String,
    headers: Vec<String>,
    body: Option<String>,
}

impl Request {
    /// `GET path`.
    pub fn get(path: &str) -> Request {
        Request::new("GET", path, None)
    }

    /// `HEAD path`, as link checkers and some gateways send.
    pub fn head(path: &str) -> Request {
        Request::new("HEAD", path, None)
    }

    /// A form POST (`application/x-www-form-urlencoded`): how a click on a page's button reaches the server.
    pub fn form(path: &str, form: &str) -> Request {
        Request::new("POST", path, Some(form.to_string()))
    }

    /// `method path` with an empty form body (a POST or a HEAD whose address says it all).
    pub fn empty(method: &str, path: &str) -> Request {
        Request::new(method, path, Some(String::new()))
    }

    fn new(method: &str, path: &str, body: Option<String>) -> Request {
        Request {
            method: method.to_string(),
            path: path.to_string(),
            headers: Vec::new(),
            body,
        }
    }

    /// One more header line (`Cookie: …`).
    pub fn header(mut self, line: &str) -> Request {
        self.headers.push(line.to_string());
        self
    }

    /// The request as written on the wire to `host`.
    fn wire(&self, host: &str) -> String {
        let mut text = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n",
            self.method, self.path
        );
        for line in &self.headers {
            text.push_str(line);
            text.push_str("\r\n");
        }
        if let Some(body) = &self.body {
            text.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        text.push_str("\r\n");
        text.push_str(self.body.as_deref().unwrap_or_default());
        text
    }
}

/// A server the tests talk to, and the name they give it in `Host:`.
#[derive(Debug, Clone)]
pub struct Client {
    address: SocketAddr,
    host: String,
}

impl Client {
    /// The server at `address`, called `host`.
    pub fn new(address: SocketAddr, host: &str) -> Client {
        Client {
            address,
            host: host.to_string(),
        }
    }

    /// The server on 127.0.0.1:`port` (a daemon's web server).
    pub fn local(port: u16) -> Client {
        Client::new(SocketAddr::from(([127, 0, 0, 1], port)), "127.0.0.1")
    }

    /// Sends `request`; `None` when nothing answers (the server is not up, or closed without a status line).
    pub fn send(&self, request: &Request) -> Option<Response> {
        self.send_raw(request.wire(&self.host).as_bytes())
    }

    /// Sends these bytes as they are (a malformed or oversized request); `None` when nothing answers.
    pub fn send_raw(&self, bytes: &[u8]) -> Option<Response> {
        let mut stream = TcpStream::connect(self.address).ok()?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .ok()?;
        // A server may answer and close before reading everything (413): what it said still counts.
        let _ = stream.write_all(bytes);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        Response::parse(&answer)
    }

    /// [`Client::send`] from async code: on a blocking thread, so that a server running in the test's own
    /// runtime (even a single-threaded one) keeps serving meanwhile. Panics when nothing answers.
    pub async fn fetch(&self, request: Request) -> Response {
        let client = self.clone();
        tokio::task::spawn_blocking(move || client.send(&request))
            .await
            .expect("the HTTP client thread")
            .expect("an HTTP answer")
    }

    /// [`Client::send_raw`] from async code (see [`Client::fetch`]).
    pub async fn fetch_raw(&self, bytes: Vec<u8>) -> Response {
        let client = self.clone();
        tokio::task::spawn_blocking(move || client.send_raw(&bytes))
            .await
            .expect("the HTTP client thread")
            .expect("an HTTP answer")
    }
}

/// `application/x-www-form-urlencoded` of one value.
pub fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
