//! Outgoing e-mail: invitations, password resets, notices, through the [`Mailer`] port. The
//! composition root implements it (SMTP through `lettre`, `mail.smtp_url`); tests run a real
//! SMTP server.
//!
//! Mail leaves after the use case committed, through a queue that one background task delivers
//! in order ([`Outbox::post`]), so a slow or absent mail server never holds a request, and the
//! time an answer takes does not tell whether a mail was sent (password resets answer the same
//! for unknown addresses). A full queue drops mail rather than grow. Failures are logged
//! without the message, which may hold a link that signs someone in.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::mpsc;

/// One message to one person.
#[derive(Clone)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
}

impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold a link that signs someone in: never in a log.
        f.debug_struct("Mail").field("subject", &self.subject).finish_non_exhaustive()
    }
}

/// Sends e-mail.
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers one message to the mail server.
    async fn send(&self, mail: &Mail) -> Result<(), String>;
}

/// Mails waiting to be delivered; more are dropped (and logged).
const QUEUE: usize = 1024;

/// Where use cases post mail after they commit.
#[derive(Clone)]
pub struct Outbox {
    queue: Option<mpsc::Sender<Mail>>,
}

impl Outbox {
    /// An outbox delivering through `mailer` (its task runs while any outbox handle lives), or
    /// dropping everything when there is none.
    pub fn new(mailer: Option<Arc<dyn Mailer>>) -> Self {
        let queue = mailer.map(|mailer| {
            let (queue, mut waiting) = mpsc::channel::<Mail>(QUEUE);
            tokio::spawn(async move {
                while let Some(mail) = waiting.recv().await {
                    if let Err(e) = mailer.send(&mail).await {
                        tracing::error!(error = %e, subject = %mail.subject, "a mail could not be sent");
                    }
                }
            });
            queue
        });
        Self { queue }
    }

    /// Whether mail can be sent at all (a mail server is configured).
    pub fn can_send(&self) -> bool {
        self.queue.is_some()
    }

    /// Queues `mail` for delivery; returns at once.
    pub fn post(&self, mail: Mail) {
        let Some(queue) = &self.queue else {
            tracing::warn!(subject = %mail.subject, "no mail server is configured (mail.smtp_url); a mail was not sent");
            return;
        };
        if let Err(e) = queue.try_send(mail) {
            tracing::error!(error = %e, "the mail queue is full; a mail was dropped");
        }
    }
}
