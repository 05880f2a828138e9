//! The one error type of the library.
//!
//! Every variant has a stable, machine-readable [`Error::code`]; apps branch on the code,
//! never on the message. At the JS boundary an `Error` becomes an `AuthError` with
//! `.code`, `.message`, `.description` and, for errors the provider sent, `.oauthError`.

use super::syntax::push_decimal;

/// The error codes that Okta documents for its OAuth 2.0 / OpenID Connect endpoints. A
/// provider error with one of these becomes an `AuthError` whose `code` is that string;
/// anything else a provider sends becomes code `provider_error` (with `oauthError` set).
pub const KNOWN_PROVIDER_ERRORS: [&str; 15] = [
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "unsupported_response_mode",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
    "login_required",
    "consent_required",
    "interaction_required",
    "invalid_client",
    "invalid_grant",
    "invalid_token",
    "insufficient_scope",
];

/// Everything that can go wrong, with the context needed to tell the user why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    // ---- configuration and requests -------------------------------------------------
    /// A configuration value is missing or unusable. `field` is the option's JS name.
    InvalidConfig {
        /// The option's name as the app wrote it (`issuer`, `clientId`, `endpoints.token`, ...).
        field: &'static str,
        /// What is wrong with it, as a sentence fragment: "must be an absolute URL".
        problem: &'static str,
    },
    /// The configuration object has an option this version does not know: usually a typo
    /// (`clientID` for `clientId`) that would otherwise be silently ignored.
    UnknownConfigOption(String),
    /// A request parameter (authorize, token, logout, ...) is unusable.
    InvalidParameter {
        /// The parameter's name (`state`, `prompt`, `login_hint`, or a caller extra's name).
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// Something that must never be done from a browser: the `password` grant, a client secret.
    NotForBrowsers {
        /// What was asked for, and why it is refused.
        what: &'static str,
    },
    /// The browser could not supply cryptographically secure random bytes.
    RandomUnavailable,
    /// A PKCE code verifier does not follow RFC 7636 §4.1 (43-128 unreserved characters).
    InvalidCodeVerifier,

    // ---- the browser ------------------------------------------------------------------
    /// A call that needs a browser page (its window, location, document) made where there is
    /// none: Node, a server render.
    NoPage,
    /// `fetch` failed without an HTTP response: offline, DNS, TLS, or a CORS refusal (the
    /// browser does not tell these apart).
    Network {
        /// What was being fetched: "discovery document", "JWK set", "token endpoint", ...
        context: &'static str,
    },
    /// A request got no complete response within `httpTimeoutMs`, and was aborted.
    RequestTimeout {
        /// What was being fetched: "discovery document", "token endpoint", ...
        context: &'static str,
    },
    /// Something did not finish in time.
    Timeout {
        /// What timed out, and its likely causes.
        what: &'static str,
    },
    /// `window.open` returned no window: the browser blocked the popup (it was not opened
    /// directly in a click handler, or the user blocks popups for this site).
    PopupBlocked,
    /// The user closed the popup before sign-in finished.
    PopupClosed,
    /// A popup sign-in is already under way in this client.
    PopupInProgress,
    /// A redirect callback's `state` matches no stored transaction.
    TransactionNotFound,
    /// No tokens are held for an operation that needs them (`getUser`, `revokeAccessToken`, ...).
    NotAuthenticated {
        /// What is missing: "an access token", "a refresh token", "an ID token".
        missing: &'static str,
    },
    /// WebCrypto refused a key or an operation.
    Crypto {
        /// What failed.
        problem: &'static str,
    },
    /// A bug in this library (a Rust panic, caught at the boundary). The client stays usable.
    Internal {
        /// What is known about it.
        problem: String,
    },

    // ---- what the provider sent -------------------------------------------------------
    /// The provider answered with an OAuth error (`error`, `error_description`), or with
    /// Okta's API error object (`errorCode`, `errorSummary`).
    Provider {
        /// `error` (or Okta's `errorCode`), exactly as sent.
        error: String,
        /// `error_description` (or Okta's `errorSummary`), if any.
        description: Option<String>,
    },
    /// A response, document or message is malformed: bad JSON, a wrong type, a required
    /// member missing, a value out of its allowed set.
    InvalidResponse {
        /// What was being read: "token response", "discovery document", "JWK set", ...
        context: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// An HTTP response had a status the protocol does not allow, and no error body.
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
    },
    /// A parameter appears more than once in an authorization response (RFC 6749 §3.1).
    DuplicateParameter {
        /// The repeated parameter.
        name: String,
    },
    /// An authorization response lacks a parameter the request asked for (`code`,
    /// `id_token`, `access_token`).
    MissingParameter {
        /// The missing parameter.
        name: &'static str,
    },
    /// The authorization response carries no `state` although one was sent (CSRF defence).
    StateMissing,
    /// The authorization response's `state` is not the transaction's (CSRF defence).
    StateMismatch,
    /// An issuer differs from the configured one: the discovery document's `issuer`, an
    /// authorization response's `iss` (RFC 9207), or an ID token's `iss` (mix-up defence).
    IssuerMismatch {
        /// Where the issuer was read: "discovery", "authorization response", "id_token".
        context: &'static str,
        /// The configured issuer.
        expected: String,
        /// What was received.
        received: String,
    },
    /// A `sub` is not the user's it must be: the userinfo `sub` is not the ID token's
    /// (OpenID Connect Core §5.3.2), the two ID tokens of a hybrid response name different
    /// users, or a silent renewal signed in another user than the one whose tokens it renews.
    SubMismatch {
        /// Which, and the rule.
        problem: &'static str,
    },

    // ---- JWT, JWK and signature --------------------------------------------------------
    /// Not a compact JWS of three base64url parts with JSON header and payload.
    MalformedJwt {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The JWS `alg` is not allowed (`none` and `HS*` never are).
    UnsupportedAlg {
        /// The header's `alg`, as sent.
        alg: String,
    },
    /// The JWS header has `crit`, which this library does not process (RFC 7515 §4.1.11).
    UnsupportedCrit,
    /// No key in the JWK set fits the token's header (`kid`, `kty`, `use`, `alg`, `key_ops`).
    KeyNotFound {
        /// The header's `kid`, if it had one.
        kid: Option<String>,
    },
    /// The header has no `kid` and more than one key fits: refusing to guess.
    AmbiguousKey,
    /// The key's RSA modulus is shorter than 2048 bits.
    KeyTooSmall {
        /// The modulus length in bits.
        bits: u32,
    },
    /// The signature does not verify with the selected key.
    InvalidSignature,

    // ---- ID token claims (OpenID Connect Core §3.1.3.7) ------------------------------
    /// A claim that must be there is not, or has the wrong JSON type.
    InvalidClaim {
        /// The claim's name.
        claim: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `aud` does not contain the client id, or `azp` is missing or wrong with several audiences.
    AudienceMismatch {
        /// What is wrong.
        problem: &'static str,
    },
    /// `exp` is in the past (beyond the clock skew).
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The clock used, in seconds.
        now: i64,
    },
    /// `iat` is in the future (beyond the clock skew).
    IssuedInFuture {
        /// The token's `iat`.
        iat: i64,
        /// The clock used, in seconds.
        now: i64,
    },
    /// `nbf` is in the future (beyond the clock skew).
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The clock used, in seconds.
        now: i64,
    },
    /// `nonce` is absent or differs from the one sent with the request (replay defence).
    NonceMismatch,
    /// `at_hash` does not match the access token that came with the ID token.
    AtHashMismatch,
    /// `c_hash` does not match the code that came with the ID token.
    CHashMismatch,
    /// DPoP was asked for (`dpop: true`) and the token endpoint answered with another
    /// `token_type` than `DPoP` (RFC 9449 §5): the token is not bound to the key.
    DpopNotBound {
        /// The `token_type` sent.
        token_type: String,
    },
    /// `auth_time` is older than `max_age` allows (OpenID Connect Core §3.1.2.1).
    AuthTooOld {
        /// The token's `auth_time`.
        auth_time: i64,
        /// The `max_age` that was sent.
        max_age: u32,
        /// The clock used, in seconds.
        now: i64,
    },
}

impl Error {
    /// The stable code, as JS sees it in `AuthError.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidConfig { .. } | Error::UnknownConfigOption(_) => "invalid_config",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::NotForBrowsers { .. } => "not_for_browsers",
            Error::RandomUnavailable => "random_unavailable",
            Error::InvalidCodeVerifier => "invalid_code_verifier",
            Error::Network { .. } => "network_error",
            Error::Timeout { .. } | Error::RequestTimeout { .. } => "timeout",
            Error::NoPage => "no_page",
            Error::PopupBlocked => "popup_blocked",
            Error::PopupClosed => "popup_closed",
            Error::PopupInProgress => "popup_in_progress",
            Error::TransactionNotFound => "transaction_not_found",
            Error::NotAuthenticated { .. } => "not_authenticated",
            Error::Crypto { .. } => "crypto_error",
            Error::Internal { .. } => "internal",
            Error::Provider { error, .. } => KNOWN_PROVIDER_ERRORS
                .iter()
                .find(|known| **known == error.as_str())
                .copied()
                .unwrap_or("provider_error"),
            Error::InvalidResponse { .. } => "invalid_response",
            Error::UnexpectedStatus { .. } => "unexpected_status",
            Error::DuplicateParameter { .. } => "duplicate_parameter",
            Error::MissingParameter { .. } => "missing_parameter",
            Error::StateMissing => "state_missing",
            Error::StateMismatch => "state_mismatch",
            Error::IssuerMismatch { .. } => "issuer_mismatch",
            Error::SubMismatch { .. } => "sub_mismatch",
            Error::MalformedJwt { .. } => "malformed_jwt",
            Error::UnsupportedAlg { .. } => "unsupported_alg",
            Error::UnsupportedCrit => "unsupported_crit",
            Error::KeyNotFound { .. } => "key_not_found",
            Error::AmbiguousKey => "ambiguous_key",
            Error::KeyTooSmall { .. } => "key_too_small",
            Error::InvalidSignature => "invalid_signature",
            Error::InvalidClaim { .. } => "invalid_claim",
            Error::AudienceMismatch { .. } => "audience_mismatch",
            Error::Expired { .. } => "expired",
            Error::IssuedInFuture { .. } => "issued_in_future",
            Error::NotYetValid { .. } => "not_yet_valid",
            Error::NonceMismatch => "nonce_mismatch",
            Error::AtHashMismatch => "at_hash_mismatch",
            Error::CHashMismatch => "c_hash_mismatch",
            Error::AuthTooOld { .. } => "auth_too_old",
            Error::DpopNotBound { .. } => "dpop_not_bound",
        }
    }

    /// For errors the provider sent: its `error` (or Okta's `errorCode`), as sent.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            Error::Provider { error, .. } => Some(error),
            _ => None,
        }
    }

    /// A human-readable explanation, without the code. Built only when an error is shown,
    /// with plain string pushes rather than `format!`, to keep the formatting machinery
    /// out of the wasm.
    pub fn description(&self) -> String {
        let mut s = String::new();
        match self {
            Error::InvalidConfig { field, problem } => push_all(&mut s, &[field, " ", problem]),
            Error::UnknownConfigOption(name) => push_all(
                &mut s,
                &[
                    "unknown option \"",
                    name,
                    "\" (option names are case-sensitive: issuer, clientId, redirectUri, ...)",
                ],
            ),
            Error::InvalidParameter { name, problem } => push_all(&mut s, &[name, " ", problem]),
            Error::NotForBrowsers { what } => s.push_str(what),
            Error::RandomUnavailable => {
                s.push_str("crypto.getRandomValues is not available in this environment")
            }
            Error::InvalidCodeVerifier => s.push_str(
                "a PKCE code verifier must be 43 to 128 characters from A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)",
            ),
            Error::Network { context } => push_all(
                &mut s,
                &[
                    "could not reach the ",
                    context,
                    ": the network failed, or the provider does not allow this origin (CORS)",
                ],
            ),
            Error::RequestTimeout { context } => push_all(
                &mut s,
                &[
                    "no response from the ",
                    context,
                    " within httpTimeoutMs: the request was aborted (the provider or the network stalled)",
                ],
            ),
            Error::Timeout { what } => s.push_str(what),
            Error::PopupBlocked => s.push_str(
                "the browser blocked the popup: call signInWithPopup() directly in a click handler, before any await",
            ),
            Error::PopupClosed => s.push_str("the popup was closed before sign-in finished"),
            Error::NoPage => s.push_str(
                "this call needs a browser page (window.location, document) and there is none here (Node, a server render?): make it in the browser",
            ),
            Error::PopupInProgress => s.push_str(
                "a popup sign-in is already open; it was brought to the front",
            ),
            Error::TransactionNotFound => s.push_str(
                "no sign-in transaction matches this callback: it expired (10 minutes), was already used, was started in another browser or profile, or the redirect URI points to another origin",
            ),
            Error::NotAuthenticated { missing } => {
                push_all(&mut s, &["not signed in: this needs ", missing])
            }
            Error::Crypto { problem } => push_all(&mut s, &["WebCrypto: ", problem]),
            Error::Internal { problem } => {
                push_all(&mut s, &["internal error in okta-auth-wasm (please report it): ", problem])
            }
            Error::Provider { error, description } => {
                s.push_str("the provider answered ");
                s.push_str(error);
                if let Some(d) = description {
                    push_all(&mut s, &[": ", d]);
                }
            }
            Error::InvalidResponse { context, problem } => {
                push_all(&mut s, &["invalid ", context, ": ", problem])
            }
            Error::UnexpectedStatus { status } => {
                s.push_str("unexpected HTTP status ");
                push_decimal(&mut s, i64::from(*status));
            }
            Error::DuplicateParameter { name } => {
                push_all(&mut s, &["parameter ", name, " appears more than once"])
            }
            Error::MissingParameter { name } => push_all(
                &mut s,
                &["the response lacks ", name, ", which the request asked for"],
            ),
            Error::StateMissing => s.push_str(
                "the response has no state although the request sent one; it may not answer this app's request",
            ),
            Error::StateMismatch => s.push_str(
                "the response's state is not this transaction's: a stale tab, a second sign-in, or a forged response",
            ),
            Error::IssuerMismatch {
                context,
                expected,
                received,
            } => push_all(
                &mut s,
                &[context, " issuer is \"", received, "\", expected \"", expected, "\""],
            ),
            Error::SubMismatch { problem } => s.push_str(problem),
            Error::MalformedJwt { problem } => push_all(&mut s, &["malformed JWT: ", problem]),
            Error::UnsupportedAlg { alg } => {
                push_all(&mut s, &["JWS algorithm \"", alg, "\" is not allowed"])
            }
            Error::UnsupportedCrit => s.push_str(
                "the JWS header has crit extensions, which this library does not understand (RFC 7515 §4.1.11)",
            ),
            Error::KeyNotFound { kid } => {
                s.push_str("no key in the provider's JWK set fits the token");
                if let Some(kid) = kid {
                    push_all(&mut s, &[" (kid \"", kid, "\")"]);
                }
            }
            Error::AmbiguousKey => s.push_str(
                "the token names no kid and the JWK set has several usable keys; refusing to guess",
            ),
            Error::KeyTooSmall { bits } => {
                s.push_str("the RSA key has ");
                push_decimal(&mut s, i64::from(*bits));
                s.push_str(" bits; at least 2048 are required");
            }
            Error::InvalidSignature => s.push_str("the signature does not verify"),
            Error::InvalidClaim { claim, problem } => {
                push_all(&mut s, &["claim ", claim, " ", problem])
            }
            Error::AudienceMismatch { problem } => s.push_str(problem),
            Error::Expired { exp, now } => push_time(&mut s, "the token expired at ", *exp, *now),
            Error::IssuedInFuture { iat, now } => {
                push_time(&mut s, "the token is issued in the future at ", *iat, *now)
            }
            Error::NotYetValid { nbf, now } => {
                push_time(&mut s, "the token is not valid before ", *nbf, *now)
            }
            Error::NonceMismatch => s.push_str(
                "the ID token's nonce is not the one sent with the request (a replayed or injected token)",
            ),
            Error::AtHashMismatch => {
                s.push_str("the ID token's at_hash does not match the access token")
            }
            Error::CHashMismatch => s.push_str("the ID token's c_hash does not match the code"),
            Error::DpopNotBound { token_type } => push_all(
                &mut s,
                &[
                    "DPoP was asked for (dpop: true) but the provider answered token_type \"",
                    token_type,
                    "\": the token is not bound to the key, and refusing it beats holding a bearer token. Enable DPoP for the app at the provider (Okta: the app's \"Require Demonstrating Proof of Possession (DPoP) header in token requests\")",
                ],
            ),
            Error::AuthTooOld {
                auth_time,
                max_age,
                now,
            } => {
                s.push_str("the user authenticated at ");
                push_decimal(&mut s, *auth_time);
                s.push_str(", longer ago than max_age ");
                push_decimal(&mut s, i64::from(*max_age));
                s.push_str(" s allows (now ");
                push_decimal(&mut s, *now);
                s.push(')');
            }
        }
        s
    }

    /// `code: description`, the text of `AuthError.message`.
    pub fn message(&self) -> String {
        let mut s = String::from(self.code());
        s.push_str(": ");
        s.push_str(&self.description());
        s
    }
}

fn push_all(s: &mut String, parts: &[&str]) {
    for p in parts {
        s.push_str(p);
    }
}

fn push_time(s: &mut String, what: &str, at: i64, now: i64) {
    s.push_str(what);
    push_decimal(s, at);
    s.push_str(" (now ");
    push_decimal(s, now);
    s.push(')');
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_config_message_names_the_field_and_the_code() {
        let e = Error::InvalidConfig {
            field: "issuer",
            problem: "is required",
        };
        assert_eq!(e.code(), "invalid_config");
        assert_eq!(e.description(), "issuer is required");
        assert_eq!(e.message(), "invalid_config: issuer is required");
    }

    #[test]
    fn unknown_option_message_quotes_the_name() {
        let e = Error::UnknownConfigOption("clientID".into());
        assert_eq!(e.code(), "invalid_config");
        assert!(e
            .message()
            .starts_with("invalid_config: unknown option \"clientID\""));
    }

    #[test]
    fn documented_provider_errors_keep_their_own_code() {
        for known in KNOWN_PROVIDER_ERRORS {
            let e = Error::Provider {
                error: known.into(),
                description: Some("why".into()),
            };
            assert_eq!(e.code(), known);
            assert_eq!(e.oauth_error(), Some(known));
            assert!(e.description().ends_with(": why"));
        }
    }

    #[test]
    fn undocumented_provider_errors_become_provider_error() {
        let e = Error::Provider {
            error: "E0000011".into(),
            description: None,
        };
        assert_eq!(e.code(), "provider_error");
        assert_eq!(e.oauth_error(), Some("E0000011"));
        // A provider cannot impersonate one of the library's own codes.
        let spoof = Error::Provider {
            error: "state_mismatch".into(),
            description: None,
        };
        assert_eq!(spoof.code(), "provider_error");
    }

    #[test]
    fn dpop_not_bound_names_the_token_type_and_the_fix() {
        let e = Error::DpopNotBound {
            token_type: "Bearer".into(),
        };
        assert_eq!(e.code(), "dpop_not_bound");
        assert_eq!(e.oauth_error(), None);
        let d = e.description();
        assert!(d.contains("dpop: true"), "{d}");
        assert!(d.contains("token_type \"Bearer\""), "{d}");
        assert!(
            d.contains("Require Demonstrating Proof of Possession (DPoP)"),
            "{d}"
        );
    }

    #[test]
    fn numbers_in_messages_are_written_in_decimal() {
        let e = Error::Expired {
            exp: 1_311_281_970,
            now: -5,
        };
        assert_eq!(e.description(), "the token expired at 1311281970 (now -5)");
        let e = Error::KeyTooSmall { bits: 1024 };
        assert_eq!(
            e.description(),
            "the RSA key has 1024 bits; at least 2048 are required"
        );
        let e = Error::UnexpectedStatus { status: 0 };
        assert_eq!(e.description(), "unexpected HTTP status 0");
        let e = Error::Expired {
            exp: i64::MIN,
            now: i64::MAX,
        };
        assert_eq!(
            e.description(),
            "the token expired at -9223372036854775808 (now 9223372036854775807)"
        );
    }
}
