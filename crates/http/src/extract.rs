//! Extractors that turn every rejection into a problem document, and the authenticated caller.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::client_addr::ClientAddr;
use crate::error::ApiError;
use crate::state::AppState;
use bosun_app::{Actor, RequestMeta};

/// A JSON body; malformed, mistyped, unknown-field and oversize bodies become problems.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query parameters.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let header_text =
            |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(512).collect());
        Ok(RequestMeta {
            // Worked out once by `edge::edge`: the peer, or whom a trusted proxy names.
            ip: parts.extensions.get::<ClientAddr>().map(|c| c.ip.to_string()),
            user_agent: header_text(header::USER_AGENT.as_str()),
            request_id: header_text("x-request-id"),
        })
    }
}

/// The bearer token of a request, if any.
pub(crate) fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
}

/// The caller, even one who must set up a second factor before anything else: for the routes
/// that let them (`/me`, their second factor, their sessions).
pub struct EnrollingActor(pub Actor);

impl FromRequestParts<AppState> for EnrollingActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let meta = RequestMeta::from_request_parts(parts, app).await.unwrap_or_default();
        let Some(token) = bearer(&parts.headers) else {
            return Err(bosun_app::Error::Unauthorized {
                code: "invalid_token",
                message: "The access token is missing, invalid or expired",
            }
            .into());
        };
        let (actor, _, terms) = app.auth.authenticate_until(token, meta).await?;
        let decision = app.limits.for_actor(&actor, &terms);
        if let Some(slot) = parts.extensions.get::<crate::rate_limit::RateSlot>() {
            slot.set(decision);
        }
        if !decision.allowed {
            return Err(bosun_app::Error::RateLimited { retry_after: decision.reset_secs }.into());
        }
        Ok(Self(actor))
    }
}

/// The caller. An owner or admin whose company requires a second factor and who signed in
/// without one is refused (`403 mfa_enrollment_required`) everywhere but [`EnrollingActor`]'s
/// routes.
impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let EnrollingActor(actor) = EnrollingActor::from_request_parts(parts, app).await?;
        if actor.mfa_pending {
            return Err(bosun_app::Error::MfaEnrollmentRequired.into());
        }
        Ok(actor)
    }
}

/// The paging parameters every list takes.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The checked limit.
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(n @ 1..=200) => Ok(n),
            Some(_) => Err(ApiError::invalid("limit", "out_of_range", "must be between 1 and 200")),
        }
    }

    /// The decoded cursor.
    pub fn after<K: std::str::FromStr>(&self) -> Result<Option<K>, ApiError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// Makes an opaque cursor from a key.
pub fn encode_cursor(key: impl ToString) -> String {
    URL_SAFE_NO_PAD.encode(key.to_string())
}

fn decode_cursor<K: std::str::FromStr>(c: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::invalid("cursor", "invalid_cursor", "is not a cursor this list gave out"))
}

/// Tells an absent field (`None`) from an explicit null (`Some(None)`).
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An integer field of a JSON body, also when spelled as an integral float (`25.0`): JSON
/// Schema counts `25.0` as an integer, so generated clients may send it, while serde refuses
/// it for an `i64`. A fraction (`25.5`) is still refused as serde refuses it (`invalid_type`).
/// For `#[serde(deserialize_with = "crate::extract::integral")]`.
pub fn integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Integral)
}

/// [`integral`] for an optional field: absent or null is `None`. For
/// `#[serde(default, deserialize_with = "crate::extract::optional_integral")]`.
pub fn optional_integral<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_option(OptionalIntegral)
}

struct Integral;

impl serde::de::Visitor<'_> for Integral {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() != 0.0 || !v.is_finite() {
            return Err(E::invalid_type(serde::de::Unexpected::Float(v), &self));
        }
        // Every integral f64 in (-2^63, 2^63) is an i64. -2^63 itself is left out: a float
        // equal to it may be a smaller integer rounded up (-9223372036854775809 reads as it),
        // and -2^63 written as an integer arrives through `visit_i64` anyway.
        const BOUND: f64 = 9_223_372_036_854_775_808.0;
        if v > -BOUND && v < BOUND {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
        }
    }
}

struct OptionalIntegral;

impl<'de> serde::de::Visitor<'de> for OptionalIntegral {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an integer or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<i64>, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
        integral(d).map(Some)
    }
}

/// A raw request body read piece by piece (uploads, CSV imports), for the spool.
pub struct RawBody(pub axum::body::Body);

#[async_trait::async_trait]
impl bosun_app::spool::ByteSource for RawBody {
    async fn next_piece(&mut self) -> Option<Result<axum::body::Bytes, String>> {
        use http_body_util::BodyExt;
        loop {
            match self.0.frame().await? {
                Ok(frame) => match frame.into_data() {
                    Ok(data) if data.is_empty() => continue,
                    Ok(data) => return Some(Ok(data)),
                    // Trailers carry no bytes of the file.
                    Err(_) => continue,
                },
                Err(e) => return Some(Err(e.to_string())),
            }
        }
    }

    fn announced_len(&self) -> Option<u64> {
        axum::body::HttpBody::size_hint(&self.0).exact()
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::integral")]
        n: i64,
        #[serde(default, deserialize_with = "super::optional_integral")]
        m: Option<i64>,
    }

    fn read(json: &str) -> Result<(i64, Option<i64>), String> {
        serde_json::from_str::<Body>(json).map(|b| (b.n, b.m)).map_err(|e| e.to_string())
    }

    #[test]
    fn an_integer_may_be_spelled_as_an_integral_float() {
        assert_eq!(read(r#"{"n": 25}"#), Ok((25, None)));
        assert_eq!(read(r#"{"n": 25.0, "m": -3.0}"#), Ok((25, Some(-3))));
        assert_eq!(read(r#"{"n": 1e3, "m": null}"#), Ok((1000, None)));
        assert_eq!(read(r#"{"n": -9223372036854775808}"#), Ok((i64::MIN, None)));
        assert_eq!(read(r#"{"n": -9223372036854774784.0}"#), Ok((-9_223_372_036_854_774_784, None)));
    }

    #[test]
    fn fractions_and_other_types_are_refused_as_serde_refuses_them() {
        for (json, start) in [
            (r#"{"n": 25.5}"#, "invalid type: floating point `25.5`, expected an integer"),
            (r#"{"n": 1, "m": 0.1}"#, "invalid type: floating point `0.1`, expected an integer"),
            (r#"{"n": "25"}"#, "invalid type: string \"25\", expected an integer"),
            (r#"{"n": 9223372036854775808}"#, "invalid value: integer `9223372036854775808`"),
            (r#"{"n": 1e19}"#, "invalid value: floating point `1e+19`"),
            // Below i64's range, though it rounds to -2^63 as a float.
            (r#"{"n": -9223372036854775809}"#, "invalid value: floating point"),
            (r#"{"n": -9223372036854775808.0}"#, "invalid value: floating point"),
            (r#"{"m": 1}"#, "missing field `n`"),
        ] {
            let e = read(json).expect_err(json);
            assert!(e.starts_with(start), "{json}: {e}");
        }
    }
}
