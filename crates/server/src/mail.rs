//! The SMTP implementation of the app's [`Mailer`] port, through `lettre`.

use std::time::Duration;

use async_trait::async_trait;
use bosun_app::accounts::mail::{Mail, Mailer};

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use crate::config::MailConfig;

/// The SMTP mailer.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// A mailer for the configured server; `None` when none is configured.
    pub fn from_config(cfg: &MailConfig) -> Result<Option<Self>, String> {
        let Some(url) = &cfg.smtp_url else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|e| format!("mail.smtp_url: {e}"))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = cfg.from.parse::<Mailbox>().map_err(|e| format!("mail.from: {e}"))?;
        Ok(Some(Self { transport, from }))
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), String> {
        let to = mail.to.parse::<Mailbox>().map_err(|e| format!("recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(drop).map_err(|e| e.to_string())
    }
}
