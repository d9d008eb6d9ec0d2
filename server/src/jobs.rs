//! Background work inside the server: sending the outbox and tidying sessions.
//! Both are safe to run on several app servers at once (see `app::mail::outbox`).

use app::db::{Db, DbSessionStore};
use app::mail::outbox;
use app::mail::transport::Mailer;
use app::state::SecretKey;
use lettre::message::Mailbox;
use std::time::Duration;

/// How often the outbox is checked for due email.
pub const OUTBOX_INTERVAL: Duration = Duration::from_secs(2);
const SESSION_CLEANUP_INTERVAL: Duration = Duration::from_secs(3600);

pub fn spawn(
    db: Db,
    mailer: Mailer,
    from: Mailbox,
    secret: SecretKey,
    keep_sent: chrono::Duration,
) {
    let outbox_db = db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(OUTBOX_INTERVAL);
        loop {
            tick.tick().await;
            if let Err(err) = outbox::send_due(&outbox_db, &mailer, &from, &secret, keep_sent).await
            {
                tracing::warn!(error = %err, "outbox run failed; will retry");
            }
        }
    });
    tokio::spawn(async move {
        let store = DbSessionStore::new(db);
        let mut tick = tokio::time::interval(SESSION_CLEANUP_INTERVAL);
        loop {
            tick.tick().await;
            if let Err(err) = store.delete_expired().await {
                tracing::warn!(error = %err, "session cleanup failed");
            }
        }
    });
}
