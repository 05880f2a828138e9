//! The authorization request (RFC 6749 §4.1.1 and §4.2.1, OpenID Connect Core 1.0 §3.1.2.1),
//! with the parameters of Okta's `/v1/authorize` endpoint.
//!
//! [`build_authorize_request`] checks every parameter, adds `state`, `nonce` and PKCE from
//! the randomness it is handed, and returns the URL to open together with the
//! [`Transaction`] the app keeps until the response comes back.

use super::config::{ClientConfig, PopupResponseMode, ResponseType};
use super::pkce::{generate_pkce, Pkce, VERIFIER_RANDOM_BYTES};
use super::syntax::{check_scope_list, push_decimal};
use super::url::parse_http_url;
use super::{base64url, form, Error};

/// How many random bytes make a `state` or a `nonce`: 32 bytes, 256 bits, 43 characters
/// (RFC 6749 §10.10 asks for a guess probability of at most 2^-128; so does §10.12).
pub const STATE_RANDOM_BYTES: usize = 32;

/// The longest `state` or `nonce` a caller may supply. Okta documents no limit; 1024 bytes
/// is far beyond what any random value needs and keeps the authorize URL well under the
/// 8 KiB that servers and proxies commonly accept for a request line.
pub const MAX_STATE_LEN: usize = 1024;

/// RFC 6749 §10.12: a `state` that cannot be guessed, base64url of 32 random bytes.
/// base64url uses only `A-Z a-z 0-9 - _`, all within the characters Okta allows in `state`.
pub fn generate_state(random: &[u8; STATE_RANDOM_BYTES]) -> String {
    base64url::encode(random)
}

/// OpenID Connect Core 1.0 §15.5.2: a `nonce` that cannot be guessed, base64url of 32
/// random bytes.
pub fn generate_nonce(random: &[u8; STATE_RANDOM_BYTES]) -> String {
    base64url::encode(random)
}

/// A `state` supplied by the caller. Okta accepts only letters, digits, `,` `.` `_` and `-`
/// in `state` (and answers anything else with `invalid_request`, "invalid 'state'
/// parameter"), so the same set is enforced here, before the browser leaves the app.
/// It must be non-empty (RFC 6749 §10.12: it is the CSRF defence) and at most
/// [`MAX_STATE_LEN`] bytes.
pub fn validate_state(state: &str) -> Result<(), Error> {
    if state.is_empty() {
        return Err(invalid("state", "must not be empty"));
    }
    if state.len() > MAX_STATE_LEN {
        return Err(invalid("state", "must be at most 1024 characters"));
    }
    if !state
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b',' | b'.' | b'_' | b'-'))
    {
        return Err(invalid(
            "state",
            "may contain only letters, digits, comma, period, underscore and hyphen (Okta's rule)",
        ));
    }
    Ok(())
}

/// A `nonce` supplied by the caller (OpenID Connect Core 1.0 §3.1.2.1): any string, but
/// non-empty (an empty nonce binds nothing) and at most [`MAX_STATE_LEN`] bytes.
pub fn validate_nonce(nonce: &str) -> Result<(), Error> {
    if nonce.is_empty() {
        return Err(invalid("nonce", "must not be empty"));
    }
    if nonce.len() > MAX_STATE_LEN {
        return Err(invalid("nonce", "must be at most 1024 characters"));
    }
    Ok(())
}

/// `response_mode`: how the provider returns the authorization response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    /// In the redirect URI's query (OAuth 2.0 Multiple Response Type Encoding Practices §2.1).
    /// Never for responses that carry tokens (ibid. §5).
    Query,
    /// In the redirect URI's fragment (ibid. §2.1).
    Fragment,
    /// An auto-submitted HTML form POSTed to the redirect URI (OAuth 2.0 Form Post Response
    /// Mode). A single-page app cannot read a POST body itself: only for apps with a server.
    FormPost,
    /// Okta's `okta_post_message`: the provider's page posts a flat object to the opener or
    /// parent window.
    OktaPostMessage,
    /// `web_message` (draft-sakimura-oauth-wmrm): `{type: "authorization_response", response}`.
    WebMessage,
}

impl ResponseMode {
    /// The `response_mode` parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Query => "query",
            ResponseMode::Fragment => "fragment",
            ResponseMode::FormPost => "form_post",
            ResponseMode::OktaPostMessage => "okta_post_message",
            ResponseMode::WebMessage => "web_message",
        }
    }

    /// Reads a `response_mode` value, for values an app or a stored transaction supplies.
    pub fn parse(value: &str) -> Result<ResponseMode, Error> {
        match value {
            "query" => Ok(ResponseMode::Query),
            "fragment" => Ok(ResponseMode::Fragment),
            "form_post" => Ok(ResponseMode::FormPost),
            "okta_post_message" => Ok(ResponseMode::OktaPostMessage),
            "web_message" => Ok(ResponseMode::WebMessage),
            _ => Err(invalid(
                "response_mode",
                "must be query, fragment, form_post, okta_post_message or web_message",
            )),
        }
    }
}

/// How the authorize URL is opened, which decides the default response mode and, for
/// silent requests, the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The whole page navigates to the provider and comes back to `redirect_uri`.
    Redirect,
    /// A popup window; the response comes back as the given mode says.
    Popup(PopupResponseMode),
    /// A hidden iframe with `prompt=none`: renews tokens when the provider session is alive.
    Silent(PopupResponseMode),
}

/// The default `response_mode` for a flow and a response type.
///
/// - Redirect: `query` for `code` alone, `fragment` as soon as the response carries a token
///   (OAuth 2.0 Multiple Response Type Encoding Practices §5: the default for `code` is
///   `query`, for `token` and `id_token` `fragment`, and tokens must never be in a query).
/// - Popup and silent: the configured [`PopupResponseMode`]: `okta_post_message` (the
///   default), `web_message`, or, for `Callback`, the redirect default (the callback page
///   reads the URL and posts it back itself).
pub fn default_response_mode(flow: Flow, response_type: ResponseType) -> ResponseMode {
    let redirect_default = if response_type.token || response_type.id_token {
        ResponseMode::Fragment
    } else {
        ResponseMode::Query
    };
    match flow {
        Flow::Redirect => redirect_default,
        Flow::Popup(mode) | Flow::Silent(mode) => match mode {
            PopupResponseMode::OktaPostMessage => ResponseMode::OktaPostMessage,
            PopupResponseMode::WebMessage => ResponseMode::WebMessage,
            PopupResponseMode::Callback => redirect_default,
        },
    }
}

/// `prompt` (OpenID Connect Core 1.0 §3.1.2.1), a validated set of values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    none: bool,
    login: bool,
    consent: bool,
    select_account: bool,
    enroll_authenticator: bool,
}

impl Prompt {
    /// `prompt=none`: no UI at all; the provider answers `login_required` (or
    /// `consent_required`, `interaction_required`) if it would need one.
    pub const NONE: Prompt = Prompt {
        none: true,
        login: false,
        consent: false,
        select_account: false,
        enroll_authenticator: false,
    };

    /// Reads a space-separated `prompt`: `none`, `login`, `consent`, `select_account`
    /// (OpenID Connect Core 1.0 §3.1.2.1) and Okta's `enroll_authenticator`. Each value at
    /// most once, single spaces between them, and `none` alone: §3.1.2.1 says that if
    /// `none` is combined with any other value an error is returned.
    pub fn parse(value: &str) -> Result<Prompt, Error> {
        let mut p = Prompt {
            none: false,
            login: false,
            consent: false,
            select_account: false,
            enroll_authenticator: false,
        };
        for part in value.split(' ') {
            let flag = match part {
                "none" => &mut p.none,
                "login" => &mut p.login,
                "consent" => &mut p.consent,
                "select_account" => &mut p.select_account,
                "enroll_authenticator" => &mut p.enroll_authenticator,
                _ => {
                    return Err(invalid(
                        "prompt",
                        "must be none, or a space-separated combination of login, consent, select_account and enroll_authenticator",
                    ))
                }
            };
            if *flag {
                return Err(invalid("prompt", "must not repeat a value"));
            }
            *flag = true;
        }
        if p.none && (p.login || p.consent || p.select_account || p.enroll_authenticator) {
            return Err(invalid(
                "prompt",
                "none must not be combined with another value (OpenID Connect Core 1.0 §3.1.2.1)",
            ));
        }
        Ok(p)
    }

    /// Whether this is `prompt=none`.
    pub fn is_none(self) -> bool {
        self.none
    }

    /// The parameter value, values in a fixed order.
    pub fn to_param(self) -> String {
        let mut s = String::new();
        for (on, word) in [
            (self.none, "none"),
            (self.login, "login"),
            (self.consent, "consent"),
            (self.select_account, "select_account"),
            (self.enroll_authenticator, "enroll_authenticator"),
        ] {
            if on {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(word);
            }
        }
        s
    }
}

/// `display` (OpenID Connect Core 1.0 §3.1.2.1; Okta passes it to a social identity provider).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// `page`: a full page.
    Page,
    /// `popup`: a UI sized for a popup window.
    Popup,
}

impl Display {
    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            Display::Page => "page",
            Display::Popup => "popup",
        }
    }
}

/// Everything an authorize request can carry, before any check. Optional free-text values
/// (`login_hint`, `idp`, `idp_scope`, `session_token`, `acr_values`) that are empty strings
/// are left out of the request, as if absent: an empty input field means "no hint".
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizeParams {
    /// `client_id`
    pub client_id: String,
    /// `redirect_uri`
    pub redirect_uri: String,
    /// `response_type`
    pub response_type: ResponseType,
    /// `response_mode`; `None` takes [`default_response_mode`] for the flow.
    pub response_mode: Option<ResponseMode>,
    /// How the URL will be opened.
    pub flow: Flow,
    /// `scope`, one scope per entry.
    pub scopes: Vec<String>,
    /// `state`; `None` generates one from the randomness.
    pub state: Option<String>,
    /// `nonce`; `None` generates one from the randomness.
    pub nonce: Option<String>,
    /// `prompt`; forced to `none` for [`Flow::Silent`].
    pub prompt: Option<Prompt>,
    /// `display`
    pub display: Option<Display>,
    /// `max_age`, in seconds; the ID token's `auth_time` is then checked against it.
    pub max_age: Option<u32>,
    /// `login_hint`
    pub login_hint: Option<String>,
    /// `idp`: Okta's identity provider id, to skip the Okta sign-in page.
    pub idp: Option<String>,
    /// `idp_scope`: space-separated scopes for that identity provider.
    pub idp_scope: Option<String>,
    /// `sessionToken`: an Okta session token from the Authentication API.
    pub session_token: Option<String>,
    /// `acr_values`
    pub acr_values: Option<String>,
    /// `dpop_jkt` (RFC 9449 §10): binds the code to the DPoP key of this thumbprint.
    pub dpop_jkt: Option<String>,
    /// Further parameters, sent as given after all the others. A name that is one of the
    /// parameters above is refused: those are set through their own fields, and a
    /// duplicate would let the provider pick either value.
    pub extra: Vec<(String, String)>,
}

impl AuthorizeParams {
    /// The parameters the configuration decides, for a flow; everything else unset.
    pub fn from_config(config: &ClientConfig, flow: Flow) -> AuthorizeParams {
        AuthorizeParams {
            client_id: config.client_id.clone(),
            redirect_uri: config.redirect_uri.clone(),
            response_type: config.response_type,
            response_mode: None,
            flow,
            scopes: config.scopes.clone(),
            state: None,
            nonce: None,
            prompt: None,
            display: None,
            max_age: None,
            login_hint: None,
            idp: None,
            idp_scope: None,
            session_token: None,
            acr_values: None,
            dpop_jkt: None,
            extra: Vec::new(),
        }
    }
}

/// The random bytes one authorize request consumes. Each is used only when the value is
/// not supplied by the caller (state, nonce) or not needed (no code verifier without `code`).
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizeRandomness {
    /// For `state`.
    pub state: [u8; STATE_RANDOM_BYTES],
    /// For `nonce`.
    pub nonce: [u8; STATE_RANDOM_BYTES],
    /// For the PKCE `code_verifier`.
    pub code_verifier: [u8; VERIFIER_RANDOM_BYTES],
}

impl AuthorizeRandomness {
    /// How many bytes [`AuthorizeRandomness::from_bytes`] takes.
    pub const LEN: usize = 2 * STATE_RANDOM_BYTES + VERIFIER_RANDOM_BYTES;

    /// Splits one buffer from `crypto.getRandomValues` into the three values.
    pub fn from_bytes(bytes: &[u8; Self::LEN]) -> AuthorizeRandomness {
        let mut r = AuthorizeRandomness {
            state: [0; STATE_RANDOM_BYTES],
            nonce: [0; STATE_RANDOM_BYTES],
            code_verifier: [0; VERIFIER_RANDOM_BYTES],
        };
        let (state, rest) = bytes.split_at(STATE_RANDOM_BYTES);
        let (nonce, verifier) = rest.split_at(STATE_RANDOM_BYTES);
        r.state.copy_from_slice(state);
        r.nonce.copy_from_slice(nonce);
        r.code_verifier.copy_from_slice(verifier);
        r
    }
}

impl core::fmt::Debug for AuthorizeRandomness {
    // Secrets stay out of logs.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AuthorizeRandomness { .. }")
    }
}

/// What the app keeps between the request and the response, to check the response and
/// redeem the code. The shell stores it (sessionStorage) keyed by `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The `state` sent: the response must carry exactly this.
    pub state: String,
    /// The `nonce` sent: the ID token must carry exactly this.
    pub nonce: String,
    /// The PKCE verifier, for the token request; `Some` exactly when `code` was asked for.
    pub code_verifier: Option<String>,
    /// The `redirect_uri` sent: the token request must repeat it (RFC 6749 §4.1.3).
    pub redirect_uri: String,
    /// The `response_type` sent: the response must carry what it asked for.
    pub response_type: ResponseType,
    /// The `response_mode` sent: where the response will be.
    pub response_mode: ResponseMode,
    /// The scopes asked for.
    pub scopes: Vec<String>,
    /// The `max_age` sent, if any: the ID token's `auth_time` is checked against it.
    pub max_age: Option<u32>,
}

impl Transaction {
    /// Whether an ID token comes back, in the response or from the token endpoint: when
    /// `id_token` was asked for, or when the code flow was used with the `openid` scope
    /// (OpenID Connect Core 1.0 §3.1.3.3).
    pub fn expects_id_token(&self) -> bool {
        self.response_type.id_token
            || (self.response_type.code && self.scopes.iter().any(|s| s == "openid"))
    }
}

/// A built authorize request: the URL to open and what to keep for the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// The full URL: the endpoint with the parameters appended to its query.
    pub url: String,
    /// What to keep until the response arrives.
    pub transaction: Transaction,
}

/// The parameter names the builder sets itself; extras may not use them.
const RESERVED: [&str; 19] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "display",
    "max_age",
    "login_hint",
    "idp",
    "idp_scope",
    "sessionToken",
    "acr_values",
    "dpop_jkt",
    // Never from a browser: a public client has no secret.
    "client_secret",
];

/// Builds the authorization request (RFC 6749 §4.1.1 and §4.2.1, OpenID Connect Core 1.0
/// §3.1.2.1 and §3.2.2.1) against `endpoint`, checking:
///
/// - `client_id` is non-empty; `redirect_uri` is absolute and has no fragment (RFC 6749
///   §3.1.2).
/// - `state` and `nonce`: generated from `randomness` unless supplied, then checked by
///   [`validate_state`] and [`validate_nonce`]. A nonce is sent on every flow, code flow
///   included, so that the ID token from the token endpoint is bound to this request too.
/// - PKCE (RFC 7636 §4.2, S256 only): always added when `code` is asked for, since a public
///   client has no other proof that it is the one redeeming the code (OAuth 2.0 Security
///   BCP, RFC 9700 §2.1.1).
/// - `response_mode=query` is refused when the response carries `token` or `id_token`
///   (OAuth 2.0 Multiple Response Type Encoding Practices §5).
/// - `openid` must be in the scopes when `id_token` is asked for (OpenID Connect Core 1.0
///   §3.1.2.1). The code flow without `openid` is allowed: it is plain OAuth 2.0 that
///   returns only an access token, and [`Transaction::expects_id_token`] then says so.
/// - Scopes: RFC 6749 §3.3 scope tokens, at least one, none repeated.
/// - `prompt`: [`Flow::Silent`] sends `prompt=none`; another prompt there is refused.
/// - Okta accepts only characters of up to three UTF-8 bytes: a parameter with a four-byte
///   character (an emoji, say), extras included, is refused here rather than by Okta.
/// - Extras: non-empty names, none repeated (RFC 6749 §3.1: parameters must not be
///   included more than once), none of the parameters set above, and no `client_secret`.
/// - The endpoint: https (plain http on a loopback host only), no fragment, and no query
///   parameter of its own that this request sets too.
pub fn build_authorize_request(
    endpoint: &str,
    params: &AuthorizeParams,
    randomness: &AuthorizeRandomness,
) -> Result<AuthorizeRequest, Error> {
    let rt = params.response_type;
    if !(rt.code || rt.token || rt.id_token) {
        return Err(invalid(
            "response_type",
            "must ask for at least one of code, token and id_token",
        ));
    }
    let response_mode = params
        .response_mode
        .unwrap_or_else(|| default_response_mode(params.flow, rt));
    if response_mode == ResponseMode::Query && (rt.token || rt.id_token) {
        return Err(invalid(
            "response_mode",
            "must not be query when the response carries token or id_token (OAuth 2.0 Multiple Response Type Encoding Practices §5)",
        ));
    }

    if params.client_id.is_empty() {
        return Err(invalid("client_id", "must not be empty"));
    }
    match parse_http_url(&params.redirect_uri) {
        Ok(parts) if parts.fragment.is_none() => {}
        _ => {
            return Err(invalid(
                "redirect_uri",
                "must be an absolute http(s) URL without a #fragment (RFC 6749 §3.1.2)",
            ))
        }
    }
    validate_scopes(&params.scopes)?;
    if rt.id_token && !params.scopes.iter().any(|s| s == "openid") {
        return Err(invalid(
            "scope",
            "must include openid when response_type asks for an id_token (OpenID Connect Core 1.0 §3.1.2.1)",
        ));
    }

    let state = match &params.state {
        Some(s) => s.clone(),
        None => generate_state(&randomness.state),
    };
    validate_state(&state)?;
    let nonce = match &params.nonce {
        Some(n) => n.clone(),
        None => generate_nonce(&randomness.nonce),
    };
    validate_nonce(&nonce)?;

    let prompt = match (params.flow, params.prompt) {
        (Flow::Silent(_), Some(p)) if !p.is_none() => return Err(invalid(
            "prompt",
            "must be none (or left out) for a silent request: a hidden iframe cannot show a page",
        )),
        (Flow::Silent(_), _) => Some(Prompt::NONE),
        (_, p) => p,
    };

    let pkce: Option<Pkce> = rt.code.then(|| generate_pkce(&randomness.code_verifier));
    let scope = params.scopes.join(" ");
    let prompt_value = prompt.map(Prompt::to_param);
    let max_age_value = params.max_age.map(decimal);

    let mut pairs: Vec<(&str, &str)> = vec![
        ("client_id", &params.client_id),
        ("redirect_uri", &params.redirect_uri),
        ("response_type", rt.as_str()),
        ("response_mode", response_mode.as_str()),
        ("scope", &scope),
        ("state", &state),
        ("nonce", &nonce),
    ];
    if let Some(pkce) = &pkce {
        pairs.push(("code_challenge", &pkce.code_challenge));
        pairs.push(("code_challenge_method", Pkce::METHOD));
    }
    if let Some(p) = &prompt_value {
        pairs.push(("prompt", p));
    }
    if let Some(d) = params.display {
        pairs.push(("display", d.as_str()));
    }
    if let Some(m) = &max_age_value {
        pairs.push(("max_age", m));
    }
    for (name, value) in [
        ("login_hint", &params.login_hint),
        ("idp", &params.idp),
        ("idp_scope", &params.idp_scope),
        ("sessionToken", &params.session_token),
        ("acr_values", &params.acr_values),
        ("dpop_jkt", &params.dpop_jkt),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((name, v));
        }
    }
    for (i, (name, value)) in params.extra.iter().enumerate() {
        if name.is_empty() {
            return Err(invalid("extraParams", "must not have an empty name"));
        }
        if RESERVED.contains(&name.as_str()) {
            return Err(Error::InvalidParameter {
                name: name.clone(),
                problem: "is set by the library (or never sent from a browser) and cannot be an extra parameter",
            });
        }
        if params.extra[..i].iter().any(|(n, _)| n == name) {
            return Err(Error::InvalidParameter {
                name: name.clone(),
                problem: "appears more than once (RFC 6749 §3.1)",
            });
        }
        pairs.push((name, value));
    }

    for (name, value) in &pairs {
        if has_four_byte_char(name) || has_four_byte_char(value) {
            return Err(Error::InvalidParameter {
                name: (*name).to_owned(),
                problem:
                    "contains a 4-byte UTF-8 character (an emoji, say), which Okta does not accept",
            });
        }
    }

    let url = join_endpoint(endpoint, &pairs)?;
    Ok(AuthorizeRequest {
        url,
        transaction: Transaction {
            state,
            nonce,
            code_verifier: pkce.map(|p| p.code_verifier),
            redirect_uri: params.redirect_uri.clone(),
            response_type: rt,
            response_mode,
            scopes: params.scopes.clone(),
            max_age: params.max_age,
        },
    })
}

fn join_endpoint(endpoint: &str, pairs: &[(&str, &str)]) -> Result<String, Error> {
    const FIELD: &str = "endpoints.authorize";
    let parts = parse_http_url(endpoint).map_err(|_| Error::InvalidConfig {
        field: FIELD,
        problem: "must be an absolute http(s) URL",
    })?;
    if !parts.is_https() && !parts.is_loopback() {
        return Err(Error::InvalidConfig {
            field: FIELD,
            problem: "must use https (plain http is allowed only on a loopback host)",
        });
    }
    if parts.fragment.is_some() {
        return Err(Error::InvalidConfig {
            field: FIELD,
            problem: "must not have a #fragment",
        });
    }
    let mut url = String::from(endpoint);
    match parts.query {
        None => url.push('?'),
        Some(query) => {
            // A parameter in the endpoint's own query that the request sets too would reach
            // the provider twice, and which one wins is up to the provider.
            let own = form::parse(query).map_err(|_| Error::InvalidConfig {
                field: FIELD,
                problem: "has a malformed query",
            })?;
            if own.iter().any(|(n, _)| pairs.iter().any(|(p, _)| p == n)) {
                return Err(Error::InvalidConfig {
                    field: FIELD,
                    problem: "has a query parameter that the authorize request sets itself",
                });
            }
            if !(query.is_empty() || query.ends_with('&')) {
                url.push('&');
            }
        }
    }
    url.push_str(&form::serialize(pairs.iter().copied()));
    Ok(url)
}

/// RFC 6749 §3.3: one or more scope tokens, none repeated.
fn validate_scopes(scopes: &[String]) -> Result<(), Error> {
    check_scope_list(scopes).map_err(|problem| invalid("scope", problem))
}

fn has_four_byte_char(s: &str) -> bool {
    // In UTF-8 only a four-byte sequence starts with a byte of 0xF0 or more.
    s.bytes().any(|b| b >= 0xf0)
}

fn decimal(n: u32) -> String {
    let mut s = String::new();
    push_decimal(&mut s, i64::from(n));
    s
}

fn invalid(name: &str, problem: &'static str) -> Error {
    Error::InvalidParameter {
        name: name.to_owned(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::testing::{mutations, random_inputs};

    const ENDPOINT: &str = "https://dev-1.okta.com/oauth2/default/v1/authorize";

    fn code() -> ResponseType {
        ResponseType {
            code: true,
            id_token: false,
            token: false,
        }
    }

    fn implicit() -> ResponseType {
        ResponseType {
            code: false,
            id_token: true,
            token: true,
        }
    }

    fn params() -> AuthorizeParams {
        AuthorizeParams {
            client_id: "0oa1spa".into(),
            redirect_uri: "https://app.example/callback".into(),
            response_type: code(),
            response_mode: None,
            flow: Flow::Redirect,
            scopes: vec!["openid".into(), "profile".into()],
            state: None,
            nonce: None,
            prompt: None,
            display: None,
            max_age: None,
            login_hint: None,
            idp: None,
            idp_scope: None,
            session_token: None,
            acr_values: None,
            dpop_jkt: None,
            extra: Vec::new(),
        }
    }

    fn randomness() -> AuthorizeRandomness {
        AuthorizeRandomness {
            state: [1; 32],
            nonce: [2; 32],
            code_verifier: [3; 32],
        }
    }

    fn build(p: &AuthorizeParams) -> Result<AuthorizeRequest, Error> {
        build_authorize_request(ENDPOINT, p, &randomness())
    }

    fn query_of(url: &str) -> Vec<(String, String)> {
        let (_, q) = url.split_once('?').unwrap();
        form::parse(q).unwrap()
    }

    fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn invalid_name(r: Result<AuthorizeRequest, Error>) -> String {
        match r {
            Err(Error::InvalidParameter { name, .. }) => name,
            other => panic!("expected invalid_parameter, got {other:?}"),
        }
    }

    #[test]
    fn sends_dpop_jkt_only_when_given_and_never_as_an_extra() {
        const JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
        let mut p = params();
        assert_eq!(param(&query_of(&build(&p).unwrap().url), "dpop_jkt"), None);
        p.dpop_jkt = Some(JKT.into());
        assert_eq!(
            param(&query_of(&build(&p).unwrap().url), "dpop_jkt"),
            Some(JKT)
        );
        p.dpop_jkt = None;
        p.extra = vec![("dpop_jkt".into(), JKT.into())];
        assert_eq!(invalid_name(build(&p)), "dpop_jkt");
    }

    #[test]
    fn generated_state_uses_only_characters_okta_allows() {
        for random in [[0u8; 32], [0xff; 32], [0xfb; 32], [0x3e; 32]] {
            let state = generate_state(&random);
            assert_eq!(state.len(), 43);
            assert_eq!(validate_state(&state), Ok(()));
        }
        // 0xfb 0xff 0xbf encodes to "-_-_": both base64url-only symbols appear and pass.
        let mut random = [0u8; 32];
        random[..3].copy_from_slice(&[0xfb, 0xff, 0xbf]);
        let state = generate_state(&random);
        assert!(state.starts_with("-_-_"));
        assert_eq!(validate_state(&state), Ok(()));
    }

    #[test]
    fn generated_nonce_carries_all_32_random_bytes() {
        let nonce = generate_nonce(&[7; 32]);
        assert_eq!(base64url::decode(&nonce), Some(vec![7; 32]));
    }

    #[test]
    fn rejects_supplied_state_with_characters_okta_refuses() {
        for bad in ["a b", "a+b", "a/b", "a=b", "é", "a~b", "a:b"] {
            assert_eq!(
                validate_state(bad),
                Err(invalid(
                    "state",
                    "may contain only letters, digits, comma, period, underscore and hyphen (Okta's rule)"
                )),
                "{bad:?}"
            );
        }
        assert_eq!(validate_state("Az09,._-"), Ok(()));
    }

    #[test]
    fn rejects_empty_supplied_state() {
        let mut p = params();
        p.state = Some(String::new());
        assert_eq!(build(&p), Err(invalid("state", "must not be empty")));
    }

    #[test]
    fn rejects_supplied_state_longer_than_1024() {
        assert_eq!(validate_state(&"a".repeat(MAX_STATE_LEN)), Ok(()));
        assert_eq!(
            validate_state(&"a".repeat(MAX_STATE_LEN + 1)),
            Err(invalid("state", "must be at most 1024 characters"))
        );
    }

    #[test]
    fn rejects_empty_supplied_nonce() {
        let mut p = params();
        p.nonce = Some(String::new());
        assert_eq!(build(&p), Err(invalid("nonce", "must not be empty")));
    }

    #[test]
    fn keeps_supplied_state_and_nonce() {
        let mut p = params();
        p.state = Some("my-state".into());
        p.nonce = Some("my nonce".into());
        let r = build(&p).unwrap();
        let q = query_of(&r.url);
        assert_eq!(param(&q, "state"), Some("my-state"));
        assert_eq!(param(&q, "nonce"), Some("my nonce"));
        assert_eq!(r.transaction.state, "my-state");
        assert_eq!(r.transaction.nonce, "my nonce");
    }

    #[test]
    fn code_flow_sends_every_required_parameter_with_s256_pkce() {
        let r = build(&params()).unwrap();
        assert!(r.url.starts_with(
            "https://dev-1.okta.com/oauth2/default/v1/authorize?client_id=0oa1spa&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&response_type=code&response_mode=query&scope=openid+profile&state="
        ), "{}", r.url);
        let q = query_of(&r.url);
        let verifier = base64url::encode(&[3; 32]);
        assert_eq!(
            param(&q, "code_challenge"),
            Some(crate::protocol::pkce::code_challenge_s256(&verifier).as_str())
        );
        assert_eq!(param(&q, "code_challenge_method"), Some("S256"));
        assert_eq!(param(&q, "state"), Some(generate_state(&[1; 32]).as_str()));
        assert_eq!(param(&q, "nonce"), Some(generate_nonce(&[2; 32]).as_str()));
        let t = r.transaction;
        assert_eq!(t.code_verifier, Some(verifier));
        assert_eq!(t.redirect_uri, "https://app.example/callback");
        assert_eq!(t.response_type, code());
        assert_eq!(t.response_mode, ResponseMode::Query);
        assert_eq!(t.scopes, ["openid", "profile"]);
        assert_eq!(t.max_age, None);
    }

    #[test]
    fn implicit_flow_sends_no_pkce_and_keeps_no_verifier() {
        let mut p = params();
        p.response_type = implicit();
        let r = build(&p).unwrap();
        let q = query_of(&r.url);
        assert_eq!(param(&q, "code_challenge"), None);
        assert_eq!(param(&q, "code_challenge_method"), None);
        assert_eq!(param(&q, "response_type"), Some("id_token token"));
        assert_eq!(param(&q, "response_mode"), Some("fragment"));
        assert_eq!(r.transaction.code_verifier, None);
    }

    #[test]
    fn nonce_is_sent_on_the_code_flow_too() {
        let q = query_of(&build(&params()).unwrap().url);
        assert!(param(&q, "nonce").is_some_and(|n| !n.is_empty()));
    }

    #[test]
    fn rejects_query_response_mode_when_tokens_are_in_the_response() {
        for rt in [
            implicit(),
            ResponseType {
                code: true,
                id_token: true,
                token: false,
            },
            ResponseType {
                code: false,
                id_token: false,
                token: true,
            },
        ] {
            let mut p = params();
            p.response_type = rt;
            p.response_mode = Some(ResponseMode::Query);
            assert_eq!(invalid_name(build(&p)), "response_mode", "{}", rt.as_str());
        }
    }

    #[test]
    fn rejects_id_token_request_without_openid_scope() {
        let mut p = params();
        p.response_type = implicit();
        p.scopes = vec!["profile".into()];
        assert_eq!(invalid_name(build(&p)), "scope");
    }

    #[test]
    fn code_flow_without_openid_is_plain_oauth_and_expects_no_id_token() {
        let mut p = params();
        p.scopes = vec!["api:read".into()];
        let r = build(&p).unwrap();
        assert!(!r.transaction.expects_id_token());
        assert!(build(&params()).unwrap().transaction.expects_id_token());
    }

    #[test]
    fn rejects_invalid_or_repeated_scopes() {
        for scopes in [
            vec![],
            vec!["a b"],
            vec!["openid", "openid"],
            vec![""],
            vec!["a\"b"],
        ] {
            let mut p = params();
            p.scopes = scopes.iter().map(|s| s.to_string()).collect();
            assert_eq!(invalid_name(build(&p)), "scope", "{scopes:?}");
        }
    }

    #[test]
    fn rejects_relative_redirect_uri_or_one_with_a_fragment() {
        for bad in ["/callback", "https://app.example/#/cb", ""] {
            let mut p = params();
            p.redirect_uri = bad.into();
            assert_eq!(invalid_name(build(&p)), "redirect_uri", "{bad:?}");
        }
    }

    #[test]
    fn rejects_empty_client_id() {
        let mut p = params();
        p.client_id = String::new();
        assert_eq!(build(&p), Err(invalid("client_id", "must not be empty")));
    }

    #[test]
    fn rejects_empty_response_type() {
        let mut p = params();
        p.response_type = ResponseType {
            code: false,
            id_token: false,
            token: false,
        };
        assert_eq!(invalid_name(build(&p)), "response_type");
    }

    #[test]
    fn rejects_prompt_none_combined_with_another_value() {
        for bad in ["none login", "consent none", "none select_account"] {
            assert_eq!(
                Prompt::parse(bad),
                Err(invalid(
                    "prompt",
                    "none must not be combined with another value (OpenID Connect Core 1.0 §3.1.2.1)"
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_repeated_prompt_values() {
        assert_eq!(
            Prompt::parse("login login"),
            Err(invalid("prompt", "must not repeat a value"))
        );
    }

    #[test]
    fn rejects_unknown_or_badly_spaced_prompt_values() {
        for bad in ["", "Login", "login  consent", " login", "select-account"] {
            assert!(
                matches!(Prompt::parse(bad), Err(Error::InvalidParameter { ref name, .. }) if name == "prompt"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn sends_allowed_prompt_combinations() {
        let mut p = params();
        p.prompt = Some(Prompt::parse("consent login").unwrap());
        let q = query_of(&build(&p).unwrap().url);
        assert_eq!(param(&q, "prompt"), Some("login consent"));
        assert_eq!(Prompt::parse("none").unwrap(), Prompt::NONE);
    }

    #[test]
    fn silent_request_sends_prompt_none() {
        let mut p = params();
        p.flow = Flow::Silent(PopupResponseMode::OktaPostMessage);
        let q = query_of(&build(&p).unwrap().url);
        assert_eq!(param(&q, "prompt"), Some("none"));
    }

    #[test]
    fn rejects_silent_request_with_an_interactive_prompt() {
        let mut p = params();
        p.flow = Flow::Silent(PopupResponseMode::OktaPostMessage);
        p.prompt = Some(Prompt::parse("login").unwrap());
        assert_eq!(invalid_name(build(&p)), "prompt");
    }

    #[test]
    fn default_response_modes_follow_the_flow() {
        let hybrid = ResponseType {
            code: true,
            id_token: true,
            token: false,
        };
        let cases = [
            (Flow::Redirect, code(), ResponseMode::Query),
            (Flow::Redirect, implicit(), ResponseMode::Fragment),
            (Flow::Redirect, hybrid, ResponseMode::Fragment),
            (
                Flow::Popup(PopupResponseMode::OktaPostMessage),
                code(),
                ResponseMode::OktaPostMessage,
            ),
            (
                Flow::Silent(PopupResponseMode::OktaPostMessage),
                implicit(),
                ResponseMode::OktaPostMessage,
            ),
            (
                Flow::Popup(PopupResponseMode::WebMessage),
                code(),
                ResponseMode::WebMessage,
            ),
            (
                Flow::Popup(PopupResponseMode::Callback),
                code(),
                ResponseMode::Query,
            ),
            (
                Flow::Silent(PopupResponseMode::Callback),
                implicit(),
                ResponseMode::Fragment,
            ),
        ];
        for (flow, rt, want) in cases {
            assert_eq!(default_response_mode(flow, rt), want, "{flow:?} {rt:?}");
        }
    }

    #[test]
    fn response_mode_names_round_trip() {
        for mode in [
            ResponseMode::Query,
            ResponseMode::Fragment,
            ResponseMode::FormPost,
            ResponseMode::OktaPostMessage,
            ResponseMode::WebMessage,
        ] {
            assert_eq!(ResponseMode::parse(mode.as_str()), Ok(mode));
        }
        assert_eq!(
            ResponseMode::parse("Query"),
            Err(invalid(
                "response_mode",
                "must be query, fragment, form_post, okta_post_message or web_message"
            ))
        );
    }

    #[test]
    fn sends_every_okta_parameter() {
        let mut p = params();
        p.display = Some(Display::Popup);
        p.max_age = Some(0);
        p.login_hint = Some("jane@example.com".into());
        p.idp = Some("0oaidp".into());
        p.idp_scope = Some("public_profile email".into());
        p.session_token = Some("20111h0ZlxjyWC".into());
        p.acr_values = Some("urn:okta:loa:2fa:any".into());
        p.extra = vec![("foo".into(), "bar".into())];
        let r = build(&p).unwrap();
        let q = query_of(&r.url);
        assert_eq!(param(&q, "display"), Some("popup"));
        assert_eq!(param(&q, "max_age"), Some("0"));
        assert_eq!(param(&q, "login_hint"), Some("jane@example.com"));
        assert_eq!(param(&q, "idp"), Some("0oaidp"));
        assert_eq!(param(&q, "idp_scope"), Some("public_profile email"));
        assert_eq!(param(&q, "sessionToken"), Some("20111h0ZlxjyWC"));
        assert_eq!(param(&q, "acr_values"), Some("urn:okta:loa:2fa:any"));
        assert_eq!(q.last().unwrap(), &("foo".to_string(), "bar".to_string()));
        assert_eq!(r.transaction.max_age, Some(0));
    }

    #[test]
    fn max_age_is_written_in_decimal() {
        let mut p = params();
        p.max_age = Some(u32::MAX);
        let q = query_of(&build(&p).unwrap().url);
        assert_eq!(param(&q, "max_age"), Some("4294967295"));
    }

    #[test]
    fn leaves_out_empty_optional_hints() {
        let mut p = params();
        p.login_hint = Some(String::new());
        let q = query_of(&build(&p).unwrap().url);
        assert_eq!(param(&q, "login_hint"), None);
    }

    #[test]
    fn rejects_extra_parameter_that_collides_with_a_standard_one() {
        for name in RESERVED {
            let mut p = params();
            p.extra = vec![(name.to_string(), "x".into())];
            assert_eq!(invalid_name(build(&p)), name);
        }
    }

    #[test]
    fn rejects_repeated_extra_parameter() {
        let mut p = params();
        p.extra = vec![("a".into(), "1".into()), ("a".into(), "2".into())];
        assert_eq!(
            build(&p),
            Err(Error::InvalidParameter {
                name: "a".into(),
                problem: "appears more than once (RFC 6749 §3.1)",
            })
        );
    }

    #[test]
    fn rejects_extra_parameter_with_empty_name() {
        let mut p = params();
        p.extra = vec![(String::new(), "x".into())];
        assert_eq!(invalid_name(build(&p)), "extraParams");
    }

    #[test]
    fn rejects_four_byte_characters_in_any_parameter() {
        const PROBLEM: &str =
            "contains a 4-byte UTF-8 character (an emoji, say), which Okta does not accept";
        type Set = fn(&mut AuthorizeParams);
        let cases: [(Set, &str); 9] = [
            (
                |p| p.login_hint = Some("jane😀@example.com".into()),
                "login_hint",
            ),
            (|p| p.client_id = "0oa😀".into(), "client_id"),
            (
                |p| p.redirect_uri = "https://app.example/😀".into(),
                "redirect_uri",
            ),
            (|p| p.nonce = Some("n😀".into()), "nonce"),
            (|p| p.idp = Some("😀".into()), "idp"),
            (|p| p.idp_scope = Some("😀".into()), "idp_scope"),
            (|p| p.session_token = Some("😀".into()), "sessionToken"),
            (|p| p.acr_values = Some("😀".into()), "acr_values"),
            (|p| p.extra = vec![("x".into(), "😀".into())], "x"),
        ];
        for (set, name) in cases {
            let mut p = params();
            set(&mut p);
            assert_eq!(
                build(&p),
                Err(Error::InvalidParameter {
                    name: name.into(),
                    problem: PROBLEM
                }),
                "{name}"
            );
        }
        let mut p = params();
        p.extra = vec![("😀".into(), "x".into())];
        assert_eq!(invalid_name(build(&p)), "😀");
    }

    #[test]
    fn accepts_three_byte_characters() {
        let mut p = params();
        p.login_hint = Some("jöhn€中@example.com".into());
        let q = query_of(&build(&p).unwrap().url);
        assert_eq!(param(&q, "login_hint"), Some("jöhn€中@example.com"));
    }

    #[test]
    fn appends_to_an_endpoint_that_already_has_a_query() {
        for (endpoint, joined) in [
            (
                "https://idp.example/authorize?tenant=a",
                "?tenant=a&client_id=",
            ),
            (
                "https://idp.example/authorize?tenant=a&",
                "?tenant=a&client_id=",
            ),
            ("https://idp.example/authorize?", "?client_id="),
        ] {
            let r = build_authorize_request(endpoint, &params(), &randomness()).unwrap();
            assert!(r.url.contains(joined), "{}", r.url);
        }
    }

    #[test]
    fn rejects_endpoint_query_that_sets_a_request_parameter() {
        let r = build_authorize_request(
            "https://idp.example/authorize?client_id=other",
            &params(),
            &randomness(),
        );
        assert!(matches!(
            r,
            Err(Error::InvalidConfig {
                field: "endpoints.authorize",
                problem: "has a query parameter that the authorize request sets itself"
            })
        ));
    }

    #[test]
    fn rejects_plain_http_endpoint_on_a_public_host() {
        let r = build_authorize_request("http://idp.example/authorize", &params(), &randomness());
        assert!(matches!(
            r,
            Err(Error::InvalidConfig {
                field: "endpoints.authorize",
                ..
            })
        ));
        assert!(build_authorize_request(
            "http://127.0.0.1:4000/authorize",
            &params(),
            &randomness()
        )
        .is_ok());
    }

    #[test]
    fn rejects_endpoint_with_fragment_or_no_scheme() {
        for bad in ["https://idp.example/authorize#x", "/authorize", ""] {
            let r = build_authorize_request(bad, &params(), &randomness());
            assert!(
                matches!(
                    r,
                    Err(Error::InvalidConfig {
                        field: "endpoints.authorize",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn randomness_splits_into_three_distinct_values() {
        let mut bytes = [0u8; AuthorizeRandomness::LEN];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i / 32) as u8 + 1;
        }
        assert_eq!(AuthorizeRandomness::from_bytes(&bytes), randomness());
        assert_eq!(format!("{:?}", randomness()), "AuthorizeRandomness { .. }");
    }

    #[test]
    fn from_config_takes_the_configured_client() {
        let config =
            crate::protocol::config::validate_config(crate::protocol::config::ConfigInput {
                issuer: Some("https://dev-1.okta.com".into()),
                client_id: Some("0oa1spa".into()),
                redirect_uri: Some("https://app.example/callback".into()),
                ..Default::default()
            })
            .unwrap();
        let p = AuthorizeParams::from_config(&config, Flow::Redirect);
        assert_eq!(p.client_id, "0oa1spa");
        assert_eq!(p.scopes, ["openid", "profile", "email"]);
        assert!(build(&p).is_ok());
    }

    #[test]
    fn never_panics_on_arbitrary_parameters() {
        let seed = "jane😀@exa mple.com?&=#%é";
        let mut inputs = mutations(seed.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        for bytes in inputs {
            let s = String::from_utf8_lossy(&bytes).into_owned();
            let mut p = params();
            p.state = Some(s.clone());
            let _ = build(&p);
            let mut p = params();
            p.login_hint = Some(s.clone());
            p.extra = vec![(s.clone(), s.clone())];
            let _ = build(&p);
            let _ = Prompt::parse(&s);
            let _ = ResponseMode::parse(&s);
            let _ = build_authorize_request(&s, &params(), &randomness());
        }
    }
}
