//! A real SMTP server for the tests (mailin-embedded, on a port of 127.0.0.1), started once per
//! test process. Each `TestApp` sends from an address of its own, so its mail is told apart
//! from other tests' while they run side by side.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use mailin_embedded::{Handler, Server, response};
use tokio::sync::Notify;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope sender.
    pub from: String,
    /// The envelope recipients.
    pub to: Vec<String>,
    /// The whole message, headers and body, as sent.
    pub data: String,
}

impl Received {
    /// The body, decoded from quoted-printable (how long lines travel).
    pub fn body(&self) -> String {
        let body = self.data.split_once("\r\n\r\n").map_or(self.data.as_str(), |(_, b)| b);
        decode_quoted_printable(body)
    }

    /// The subject line.
    pub fn subject(&self) -> String {
        self.data.lines().find_map(|l| l.strip_prefix("Subject: ")).map(str::to_owned).unwrap_or_default()
    }

    /// The first link in the body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let body = self.body();
        let start = body.find(prefix)?;
        Some(body[start..].split_whitespace().next().unwrap_or_default().to_owned())
    }
}

fn decode_quoted_printable(s: &str) -> String {
    let joined = s.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Everything received, and a bell rung at each new message.
#[derive(Default)]
struct Inbox {
    messages: Mutex<Vec<Received>>,
    arrived: Notify,
}

#[derive(Clone)]
struct Collector {
    inbox: Arc<Inbox>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.from = from.to_owned();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = Received {
            from: std::mem::take(&mut self.from),
            to: std::mem::take(&mut self.to),
            data: String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned(),
        };
        self.inbox.messages.lock().unwrap_or_else(|p| p.into_inner()).push(message);
        self.inbox.arrived.notify_waiters();
        response::OK
    }
}

/// The test process's SMTP server.
pub struct Mailbox {
    port: u16,
    inbox: Arc<Inbox>,
}

impl Mailbox {
    /// The server, started on first use.
    pub fn shared() -> &'static Mailbox {
        static MAILBOX: OnceLock<Mailbox> = OnceLock::new();
        MAILBOX.get_or_init(|| {
            let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the SMTP server");
            let port = listener.local_addr().expect("a bound address").port();
            let inbox = Arc::new(Inbox::default());
            let collector = Collector { inbox: inbox.clone(), from: String::new(), to: Vec::new(), data: Vec::new() };
            std::thread::spawn(move || {
                let mut server = Server::new(collector);
                server.with_name("mail.test").with_num_threads(8).with_tcp_listener(listener);
                let _ = server.serve();
            });
            Mailbox { port, inbox }
        })
    }

    /// The URL to configure as `mail.smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Takes the first message from `sender` to `to`, waiting for it up to 20 s.
    pub async fn take(&self, sender: &str, to: &str) -> Received {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let arrived = self.inbox.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if let Some(m) = self.try_take(sender, to) {
                return m;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("no mail from {sender} to {to} arrived");
            }
        }
    }

    /// Takes the first message from `sender` to `to` that has arrived, if any.
    pub fn try_take(&self, sender: &str, to: &str) -> Option<Received> {
        let mut messages = self.inbox.messages.lock().unwrap_or_else(|p| p.into_inner());
        let i = messages.iter().position(|m| m.from == sender && m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))?;
        Some(messages.remove(i))
    }

    /// How many messages from `sender` have arrived and not been taken.
    pub fn count_from(&self, sender: &str) -> usize {
        self.inbox.messages.lock().unwrap_or_else(|p| p.into_inner()).iter().filter(|m| m.from == sender).count()
    }
}
