//! What every handler is given: the application (its services, store and clock) and the
//! settings only the HTTP adapter reads.

use std::ops::Deref;
use std::sync::Arc;

use bosun_app::App;

use crate::config::ServerConfig;

/// The settings the HTTP adapter reads.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The `[server]` section.
    pub server: ServerConfig,
    /// Mark the refresh cookie `Secure` (`auth.cookie_secure`).
    pub cookie_secure: bool,
}

/// The application as the routes see it; it dereferences to [`App`], so a handler calls
/// `app.faults.report(..)` directly.
pub struct ApiState {
    app: App,
    /// The HTTP adapter's settings.
    pub config: HttpConfig,
}

impl Deref for ApiState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// The shared handle every handler receives (a type of this crate, so the extractors of
/// [`bosun_app::Actor`] and [`bosun_app::RequestMeta`] can be implemented for it).
#[derive(Clone)]
pub struct AppState(Arc<ApiState>);

impl AppState {
    /// `app` served with `config`.
    pub fn new(app: App, config: HttpConfig) -> Self {
        Self(Arc::new(ApiState { app, config }))
    }
}

impl Deref for AppState {
    type Target = ApiState;

    fn deref(&self) -> &ApiState {
        &self.0
    }
}
