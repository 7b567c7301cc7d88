//! Forgotten passwords: a reset link by e-mail.
//!
//! - Asking answers the same, at once, whether or not the email has a login: the work (looking
//!   the login up, storing the reset, posting the mail) happens afterwards, one request at a
//!   time, on a worker of its own, so neither the answer nor its timing tells anything.
//! - A reset is single-use and expires after `auth.password_reset_minutes`; only its SHA-256
//!   is stored. Setting the password spends every open reset of the login, ends every session
//!   it has in every company, and is audited in each of them.
//! - At most a few reset mails an hour go to one login, and a few dozen from one address.
//! - A reset never bypasses a second factor: the next sign-in still asks for it.

use bosun_domain::account::PasswordReset;
use bosun_domain::person::{Email, check_new_password};
use bosun_store::StoreError;
use chrono::Duration;
use tokio::sync::mpsc;

use crate::accounts::auth::PasswordHasherPool;
use crate::accounts::mail::{Mail, Outbox};
use crate::accounts::secrets::{encode_global, parse_global, random_secret, sha256};
use crate::accounts::throttle::LoginThrottle;
use crate::{Audit, Deps, Error, RequestMeta, Result};

/// Reset requests waiting for the worker; more are dropped (a flood gets nothing sent).
const QUEUE: usize = 256;

/// One request to reset, waiting for the worker.
struct ResetRequest {
    email: String,
    meta: RequestMeta,
}

/// Password-reset use cases.
#[derive(Clone)]
pub struct PasswordService {
    deps: Deps,
    hasher: PasswordHasherPool,
    queue: mpsc::Sender<ResetRequest>,
}

/// What the worker needs.
struct Worker {
    deps: Deps,
    outbox: Outbox,
    throttle: LoginThrottle,
    public_url: String,
    minutes: i64,
}

fn invalid_reset() -> Error {
    Error::Conflict {
        code: "reset_invalid",
        message: "this reset link is not valid any more (used or expired); ask for a new one".into(),
    }
}

impl PasswordService {
    /// The service and its worker (which runs until the service is dropped).
    pub fn start(
        deps: Deps,
        hasher: PasswordHasherPool,
        outbox: Outbox,
        throttle: LoginThrottle,
        public_url: String,
        minutes: i64,
    ) -> Self {
        let (queue, mut requests) = mpsc::channel::<ResetRequest>(QUEUE);
        let worker = Worker { deps: deps.clone(), outbox, throttle, public_url, minutes };
        tokio::spawn(async move {
            while let Some(request) = requests.recv().await {
                if let Err(e) = worker.handle(request).await {
                    tracing::warn!(error = %e, "a password-reset request failed");
                }
            }
        });
        Self { deps, hasher, queue }
    }

    /// Asks for a reset link for `email`. Answers at once, the same for every address.
    pub fn request(&self, email: &str, meta: &RequestMeta) {
        let request = ResetRequest { email: email.chars().take(1000).collect(), meta: meta.clone() };
        if self.queue.try_send(request).is_err() {
            tracing::warn!("password-reset requests are arriving faster than they are handled; one was dropped");
        }
    }

    /// Sets a new password with a reset link's token.
    pub async fn reset(&self, token: &str, password: &str, meta: &RequestMeta) -> Result<()> {
        let secret = parse_global(token).ok_or_else(invalid_reset)?;
        let now = self.deps.clock.now();
        let reset = {
            let mut tx = self.deps.store.begin_read(None).await?;
            tx.password_reset_by_token(&sha256(&secret))
                .await?
                .filter(|r| r.is_usable(now))
                .ok_or_else(invalid_reset)?
        };
        check_new_password("password", password)?;
        let hash = self.hasher.hash(password).await?;
        let mut tx = self.deps.store.begin(None).await?;
        tx.spend_password_resets(reset.id, reset.user_id, now).await.map_err(|e| match e {
            StoreError::NotFound => invalid_reset(),
            e => e.into(),
        })?;
        tx.update_user_password(reset.user_id, &hash, now).await?;
        let memberships = tx.memberships_of_user(reset.user_id).await?;
        tx.commit().await?;
        for m in memberships {
            let mut tx = self.deps.store.begin(Some(m.company_id)).await?;
            tx.revoke_user_sessions(m.company_id, reset.user_id, None, now).await?;
            self.deps
                .audit(
                    &mut tx,
                    m.company_id,
                    Some(reset.user_id),
                    meta,
                    Audit::ok("user.password_reset", "user", reset.user_id),
                )
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

impl Worker {
    async fn handle(&self, request: ResetRequest) -> Result<()> {
        let Ok(email) = Email::parse("email", &request.email) else { return Ok(()) };
        let Some(account) = LoginThrottle::account_of(email.as_str()) else { return Ok(()) };
        let now = self.deps.clock.now();
        let user = self.deps.store.begin_read(None).await?.user_by_email(&email).await?;
        let Some(user) = user else {
            tracing::info!(ip = request.meta.ip.as_deref(), "a password reset was asked for an unknown login");
            return Ok(());
        };
        if !self.throttle.allow_reset_mail(&*self.deps.store, &account, request.meta.ip.as_deref(), now).await? {
            tracing::info!(ip = request.meta.ip.as_deref(), "password-reset mails to one login are limited; none sent");
            return Ok(());
        }
        let secret = random_secret(&*self.deps.ids);
        let reset = PasswordReset {
            id: self.deps.ids.id(),
            user_id: user.id,
            token_hash: sha256(&secret),
            created_at: now,
            expires_at: now + Duration::minutes(self.minutes),
            used_at: None,
        };
        let mut tx = self.deps.store.begin(None).await?;
        tx.insert_password_reset(&reset).await?;
        tx.commit().await?;
        let link = format!("{}/reset-password#{}", self.public_url, encode_global(&secret));
        self.outbox.post(Mail {
            to: user.email.to_string(),
            subject: "Reset your Bosun password".into(),
            text: format!(
                "Hello {name},\n\nsomebody (hopefully you) asked to reset the password of your Bosun login.\n\
                 Choose a new password within {minutes} minutes at:\n{link}\n\n\
                 If it was not you, ignore this e-mail: your password stays as it is.\n",
                name = user.name,
                minutes = self.minutes,
            ),
        });
        Ok(())
    }
}
