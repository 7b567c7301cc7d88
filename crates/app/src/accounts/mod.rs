//! People and their ways in: sign-in and sessions, passwords, second factors, invitations, API
//! keys, companies, and the limits that keep one caller from starving the rest.

pub mod api_keys;
pub mod auth;
pub mod companies;
pub mod invitations;
pub mod mail;
pub mod mfa;
pub mod passwords;
pub mod rate_limits;
pub mod secrets;
pub mod standings;
pub mod throttle;
pub mod users;
