//! Where sent mail goes: an SMTP server, or `.eml` files in a folder (the default, so a
//! new installation shows what it would have sent).

use super::Email;
use crate::ids::EmailId;
use lettre::message::{header, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the email could not be built: {0}")]
    Build(String),
    #[error("the SMTP server did not accept the email: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("the email file could not be written: {0}")]
    File(#[from] lettre::transport::file::Error),
}

/// Connections to the SMTP server at once, and so emails in flight (`outbox::send_due`).
/// An SMTP exchange is several round trips, mostly waiting, so one connection caps the
/// rate at what its latency allows; four keep a go-live day's backlog moving while
/// staying within what relays allow one client (some allow only a few).
pub const SMTP_CONNECTIONS: u32 = 4;

#[derive(Clone)]
pub enum Mailer {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Mailer {
    pub fn files(dir: PathBuf) -> Self {
        Mailer::Files(AsyncFileTransport::new(dir))
    }

    /// `smtp://host:port` (plain or STARTTLS with `?tls=required`) or `smtps://host:port`,
    /// with optional `user:password@`.
    pub fn smtp(url: &str) -> Result<Self, lettre::transport::smtp::Error> {
        Ok(Mailer::Smtp(
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
                .timeout(Some(std::time::Duration::from_secs(20)))
                .pool_config(PoolConfig::new().max_size(SMTP_CONNECTIONS))
                .build(),
        ))
    }

    /// Send one email. `message_id` is stable per outbox row, so a rare resend after a
    /// crash can be recognised as the same message by the receiving server.
    pub async fn send(
        &self,
        from: &Mailbox,
        message_id: &EmailId,
        email: &Email,
    ) -> Result<(), MailError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{message_id}@esafety>")))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(header::ContentType::TEXT_PLAIN)
                            .body(email.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(header::ContentType::TEXT_HTML)
                            .body(email.html.clone()),
                    ),
            )
            .map_err(|e| MailError::Build(e.to_string()))?;
        match self {
            Mailer::Files(t) => {
                t.send(message).await?;
            }
            Mailer::Smtp(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}
