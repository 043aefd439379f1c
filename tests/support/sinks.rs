//! Real servers on loopback for the notification tests: an SMTP server that speaks enough of
//! the protocol for a real client (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps
//! every message it accepts, and an HTTP server that answers 200 and keeps every request body.
//! Both can be stopped (the port then refuses connections) and started again on the same port.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One accepted e-mail.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: Vec<String>,
    /// The message as sent (headers and encoded body).
    pub raw: String,
}

impl Mail {
    /// The subject and body decoded (quoted-printable, base64, RFC 2047 words), for checks on
    /// the words a person reads.
    pub fn text(&self) -> String {
        let (head, body) = self.raw.split_once("\r\n\r\n").unwrap_or((&self.raw, ""));
        let head_lower = head.to_ascii_lowercase();
        let body = if head_lower.contains("content-transfer-encoding: base64") {
            String::from_utf8_lossy(&base64_decode(body)).into_owned()
        } else if head_lower.contains("content-transfer-encoding: quoted-printable") {
            String::from_utf8_lossy(&qp_decode(body)).into_owned()
        } else {
            body.to_string()
        };
        let mut words = String::new();
        for piece in head.split("=?") {
            if let Some(rest) = piece
                .strip_prefix("utf-8?b?")
                .or(piece.strip_prefix("UTF-8?B?"))
            {
                let encoded = rest.split("?=").next().unwrap_or("");
                words.push_str(&String::from_utf8_lossy(&base64_decode(encoded)));
            } else if let Some(rest) = piece
                .strip_prefix("utf-8?q?")
                .or(piece.strip_prefix("UTF-8?Q?"))
            {
                let encoded = rest.split("?=").next().unwrap_or("").replace('_', " ");
                words.push_str(&String::from_utf8_lossy(&qp_decode(&encoded)));
            }
        }
        format!("{head}\n{words}\n{body}")
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let Some(value) = ALPHABET.iter().position(|a| *a == c) else {
            continue;
        };
        buffer = (buffer << 6) | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

fn qp_decode(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if let Some(Ok(value)) = text.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// A server task on a fixed loopback port, stoppable and restartable.
struct Server {
    addr: SocketAddr,
    task: Option<JoinHandle<()>>,
}

impl Server {
    async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }
}

/// The SMTP server.
pub struct SmtpSink {
    server: Server,
    pub mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let task = Some(tokio::spawn(smtp_accept(listener, mails.clone())));
        Self {
            server: Server { addr, task },
            mails,
        }
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.server.addr)
    }

    /// Stops accepting connections: the port refuses them until [`SmtpSink::restart`].
    pub async fn stop(&mut self) {
        self.server.stop().await;
    }

    pub async fn restart(&mut self) {
        let listener = TcpListener::bind(self.server.addr).await.unwrap();
        self.server.task = Some(tokio::spawn(smtp_accept(listener, self.mails.clone())));
    }

    pub fn received(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

async fn smtp_accept(listener: TcpListener, mails: Arc<Mutex<Vec<Mail>>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(smtp_session(stream, mails.clone()));
    }
}

async fn smtp_session(stream: TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("HELO") || command.starts_with("MAIL") {
            b"250 OK\r\n"
        } else if command.starts_with("RCPT") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            to.push(address);
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            let _ = write.write_all(b"354 go on\r\n").await;
            let mut raw = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                raw.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mails.lock().unwrap().push(Mail {
                to: std::mem::take(&mut to),
                raw,
            });
            b"250 queued\r\n"
        } else if command.starts_with("RSET") {
            to.clear();
            b"250 OK\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if command.starts_with("NOOP") {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// The HTTP server standing for an SMS gateway.
pub struct HttpSink {
    server: Server,
    /// Every request: its head and its body.
    pub requests: Arc<Mutex<Vec<(String, String)>>>,
}

impl HttpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let kept = requests.clone();
        let task = Some(tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(http_exchange(stream, kept.clone()));
            }
        }));
        Self {
            server: Server { addr, task },
            requests,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/send", self.server.addr)
    }

    pub fn received(&self) -> Vec<(String, String)> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for HttpSink {
    fn drop(&mut self) {
        if let Some(task) = self.server.task.take() {
            task.abort();
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        if let Some(task) = self.server.task.take() {
            task.abort();
        }
    }
}

async fn http_exchange(stream: TcpStream, requests: Arc<Mutex<Vec<(String, String)>>>) {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).await.is_err() {
        return;
    }
    requests
        .lock()
        .unwrap()
        .push((head, String::from_utf8_lossy(&body).into_owned()));
    let _ = reader
        .get_mut()
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        .await;
}
