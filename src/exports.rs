//! The stateless, synchronous core that the TypeScript shell (`ts/`) calls: every protocol
//! decision of a sign-in, a renewal and a resource call, as plain functions. `ts/core.ts` is
//! the contract, and names each function it calls; [`crate::abi`] is the door.
//!
//! - **Stateless.** The core keeps nothing between calls. What the shell holds between
//!   calls (the configuration, the provider, a transaction, a validated response, a token
//!   response, the stored tokens) is the opaque text one of these functions produced, and
//!   is handed back as is. Each function reads the texts it needs again (the configuration
//!   with the same reader and [`validate_config`] every time), so a value the shell mixed
//!   up or a storage tampered with is refused, never trusted.
//! - **Strings in, strings out.** `&str`, `&[u8]`, `f64` and `u32` in; a `String` out. An
//!   error is the text `"\u{1}code\u{1}message\u{1}description"`, followed by
//!   `"\u{1}oauthError"` when the provider sent an OAuth error ([`Error::code`],
//!   [`Error::message`], [`Error::description`], [`Error::oauth_error`]). A boolean is
//!   `"1"` or `"0"`; an absent optional value is `""`.
//! - **The clock is passed in.** `now` is seconds since the epoch (`Date.now() / 1000`),
//!   floored; a value that is not a finite number is `invalid_parameter` `now`.
//! - **No panics on any input**: nothing here indexes or unwraps data that came from the
//!   network, the URL, storage or a message.
//! - **Signatures are the shell's.** The core parses JWSs, picks the key ([`jws_key`]) and
//!   checks claims ([`validate_id_token`]); `crypto.subtle.verify` checks the signature in
//!   between. [`validate_id_token`] trusts that the shell called it only after `verify`
//!   answered `true`.

use crate::protocol::authorize::{
    self, AuthorizeParams, AuthorizeRandomness, Display, Flow, Prompt, ResponseMode,
};
use crate::protocol::config::{
    validate_config, validate_option_name, ClientConfig, ConfigInput, Endpoint, PopupResponseMode,
    ResponseType, StorageInput, StorageKind, DPOP_WITH_TOKEN,
};
use crate::protocol::discovery::{self, derive_endpoints, Endpoints};
use crate::protocol::dpop;
use crate::protocol::http::{error_from_response, is_media_type, HttpRequest, HttpResponse};
use crate::protocol::id_token::{
    self, restore_id_token, Expect, IdTokenClaims, IdTokenExpectations, IdTokenSource,
};
use crate::protocol::json::{self, Value};
use crate::protocol::jwks::{self, JWKS_MAX_AGE_SECONDS, JWKS_REFETCH_INTERVAL_SECONDS};
use crate::protocol::jwt::{self, DEFAULT_ALLOWED_ALGS, SUPPORTED_ALGS};
use crate::protocol::renewal::{self, keeps_id_token_after_refresh, Expiries, Which};
use crate::protocol::resource::{self, RevocableToken, TokenTypeHint};
use crate::protocol::response::{
    self, answers_state, is_authorization_response, ExpectedResponse, IssParameter, RawResponse,
    ValidatedResponse,
};
use crate::protocol::stored::{
    self, parse_stored_tokens, push_json_string, serialize_stored_tokens, StoredAccessToken,
    StoredTokens,
};
use crate::protocol::syntax::push_decimal;
use crate::protocol::token::{self, TokenResponse};
use crate::protocol::transaction::{
    candidate_states, is_live, parse_transaction, serialize_transaction, strip_response_parameters,
    StoredTransaction, KEY_PREFIX,
};
use crate::protocol::Error;

// ---- the boundary -----------------------------------------------------------------------

/// Marks an error text, and separates its fields.
const SEP: char = '\u{1}';

/// `"\u{1}code\u{1}message\u{1}description"` plus `"\u{1}oauthError"` when there is one.
fn error_text(e: &Error) -> String {
    let mut s = String::new();
    s.push(SEP);
    s.push_str(e.code());
    s.push(SEP);
    s.push_str(&e.message());
    s.push(SEP);
    s.push_str(&e.description());
    if let Some(oauth) = e.oauth_error() {
        s.push(SEP);
        s.push_str(oauth);
    }
    s
}

fn answer(result: Result<String, Error>) -> String {
    match result {
        Ok(s) => s,
        Err(e) => error_text(&e),
    }
}

fn flag(b: bool) -> String {
    String::from(if b { "1" } else { "0" })
}

fn param(name: &str, problem: &'static str) -> Error {
    Error::InvalidParameter {
        name: name.to_owned(),
        problem,
    }
}

/// A text the shell should have got from the core, that is not one.
fn garbled(name: &str) -> Error {
    param(name, "is not a value this core produced")
}

/// Seconds since the epoch, from the shell's clock (`Date.now() / 1000`): floored, and
/// refused when not finite or beyond ±2^53 (where a double no longer holds every second).
fn seconds(value: f64, name: &str) -> Result<i64, Error> {
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    if value.is_finite() && value.abs() <= LIMIT {
        Ok(value.floor() as i64)
    } else {
        Err(param(
            name,
            "must be a finite number of seconds since the epoch",
        ))
    }
}

fn now_seconds(now: f64) -> Result<i64, Error> {
    seconds(now, "now")
}

/// The borrowed HTTP answer the core's `process_*_response` functions read; `""` headers
/// count as absent.
fn http<'a>(
    status: u32,
    content_type: &'a str,
    www_authenticate: &'a str,
    body: &'a [u8],
) -> HttpResponse<'a> {
    HttpResponse {
        status: u16::try_from(status).unwrap_or(0),
        content_type: (!content_type.is_empty()).then_some(content_type),
        www_authenticate: (!www_authenticate.is_empty()).then_some(www_authenticate),
        body,
    }
}

/// A body a `process_*_response` accepted as JSON, handed back as text.
fn body_text(body: &[u8], context: &'static str) -> Result<String, Error> {
    String::from_utf8(body.to_vec()).map_err(|_| Error::InvalidResponse {
        context,
        problem: "is not UTF-8",
    })
}

fn parse_object(text: &str) -> Option<Value> {
    json::parse(text.as_bytes())
        .ok()
        .filter(|v| v.as_object().is_some())
}

fn get_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn get_string(v: &Value, key: &str) -> Option<String> {
    get_str(v, key).map(str::to_owned)
}

// ---- JSON out ---------------------------------------------------------------------------

/// A JSON object written member by member, without a value tree.
struct Obj(String);

impl Obj {
    fn new() -> Obj {
        Obj(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_json_string(&mut self.0, key);
        self.0.push(':');
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_string(&mut self.0, value);
    }

    fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.str(key, v);
        }
    }

    fn num(&mut self, key: &str, value: i64) {
        self.key(key);
        push_decimal(&mut self.0, value);
    }

    fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
    }

    /// A member whose value is JSON text already.
    fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.0.push_str(json);
    }

    fn strs<'a>(&mut self, key: &str, items: impl IntoIterator<Item = &'a str>) {
        self.key(key);
        push_str_array(&mut self.0, items);
    }

    fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

fn push_str_array<'a>(s: &mut String, items: impl IntoIterator<Item = &'a str>) {
    s.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        push_json_string(s, item);
    }
    s.push(']');
}

// ---- configuration ----------------------------------------------------------------------

fn invalid_config(field: &'static str, problem: &'static str) -> Error {
    Error::InvalidConfig { field, problem }
}

const STORAGE_PROBLEM: &str = "must be \"memory\", \"sessionStorage\", \"localStorage\" or an object with getItem, setItem and removeItem";

/// `obj[key]`; `null` reads as absent, as `undefined` does in JS.
fn member<'a>(obj: &'a Value, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !matches!(v, Value::Null))
}

/// A JSON array of strings, or `None` when it is not one.
fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn config_string(obj: &Value, key: &str, field: &'static str) -> Result<Option<String>, Error> {
    member(obj, key)
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or(invalid_config(field, "must be a string"))
        })
        .transpose()
}

fn config_bool(obj: &Value, field: &'static str) -> Result<Option<bool>, Error> {
    member(obj, field)
        .map(|v| {
            v.as_bool()
                .ok_or(invalid_config(field, "must be true or false"))
        })
        .transpose()
}

/// A number option. The JSON numbers JS writes are read without floating point: a whole
/// number is exact, anything else (a fraction, a number beyond ±2^53) becomes `NaN`, which
/// [`validate_config`] refuses with the option's own range problem, as it refuses `1.5` or
/// `1e20` from JS. Non-finite numbers arrive as the strings `"NaN"`/`"Infinity"` (what the
/// shell writes for them): like any string, "must be a number".
fn config_number(obj: &Value, field: &'static str) -> Result<Option<f64>, Error> {
    match member(obj, field) {
        None => Ok(None),
        Some(v @ Value::Number(_)) => Ok(Some(v.as_i64().map_or(f64::NAN, |n| n as f64))),
        Some(_) => Err(invalid_config(field, "must be a number")),
    }
}

/// The configuration as [`validate_config`] takes it, from its JSON form: the app's
/// `AuthConfig` as the shell serialised it (`configure`), or the normalized text
/// `configure` returned (`normalized`: `storage: "custom"` then stands for the app's
/// object). Mirrors the facade's reader of the JS object: option names first
/// ([`validate_option_name`]), then each option's type, with the same errors.
fn read_config_input(text: &str, normalized: bool) -> Result<ConfigInput, Error> {
    let config = parse_object(text).ok_or(invalid_config(
        "config",
        "must be an object with issuer, clientId and redirectUri",
    ))?;
    for (name, _) in config.as_object().unwrap_or_default() {
        validate_option_name(name)?;
    }

    let scopes = member(&config, "scopes")
        .map(|v| strings(v).ok_or(invalid_config("scopes", "must be an array of strings")))
        .transpose()?;

    let storage = match member(&config, "storage") {
        None => None,
        Some(Value::String(name)) if normalized && name == "custom" => Some(StorageInput::Custom),
        Some(Value::String(name)) => Some(StorageInput::Name(name.clone())),
        // The shell says which of the object's methods are functions.
        Some(obj)
            if ["getItem", "setItem", "removeItem"]
                .iter()
                .all(|m| obj.get(m).and_then(Value::as_bool) == Some(true)) =>
        {
            Some(StorageInput::Custom)
        }
        Some(_) => return Err(invalid_config("storage", STORAGE_PROBLEM)),
    };

    let mut endpoints: [Option<String>; Endpoint::ALL.len()] = Default::default();
    if let Some(obj) = member(&config, "endpoints") {
        // JS: any object passes (an array has none of the keys).
        if obj.as_object().is_none() && obj.as_array().is_none() {
            return Err(invalid_config("endpoints", "must be an object of URLs"));
        }
        for endpoint in Endpoint::ALL {
            if let Some(slot) = endpoints.get_mut(endpoint as usize) {
                *slot = config_string(obj, endpoint.key(), endpoint.field())?;
            }
        }
    }

    Ok(ConfigInput {
        issuer: config_string(&config, "issuer", "issuer")?,
        client_id: config_string(&config, "clientId", "clientId")?,
        redirect_uri: config_string(&config, "redirectUri", "redirectUri")?,
        post_logout_redirect_uri: config_string(
            &config,
            "postLogoutRedirectUri",
            "postLogoutRedirectUri",
        )?,
        scopes,
        response_type: config_string(&config, "responseType", "responseType")?,
        storage,
        clock_skew_seconds: config_number(&config, "clockSkewSeconds")?,
        expire_early_seconds: config_number(&config, "expireEarlySeconds")?,
        popup_timeout_ms: config_number(&config, "popupTimeoutMs")?,
        silent_timeout_ms: config_number(&config, "silentTimeoutMs")?,
        http_timeout_ms: config_number(&config, "httpTimeoutMs")?,
        popup_response_mode: config_string(&config, "popupResponseMode", "popupResponseMode")?,
        endpoints,
        auto_renew: config_bool(&config, "autoRenew")?,
        dpop: config_bool(&config, "dpop")?,
    })
}

/// The configuration text `configure` returned, read and checked again.
fn read_config(text: &str) -> Result<ClientConfig, Error> {
    validate_config(read_config_input(text, true)?)
}

fn storage_name(kind: StorageKind) -> &'static str {
    match kind {
        StorageKind::Memory => "memory",
        StorageKind::SessionStorage => "sessionStorage",
        StorageKind::LocalStorage => "localStorage",
        StorageKind::Custom => "custom",
    }
}

fn popup_mode_name(mode: PopupResponseMode) -> &'static str {
    match mode {
        PopupResponseMode::OktaPostMessage => "okta_post_message",
        PopupResponseMode::WebMessage => "web_message",
        PopupResponseMode::Callback => "callback",
    }
}

fn write_config(c: &ClientConfig) -> String {
    let mut o = Obj::new();
    o.str("issuer", &c.issuer);
    o.str("clientId", &c.client_id);
    o.str("redirectUri", &c.redirect_uri);
    o.opt_str(
        "postLogoutRedirectUri",
        c.post_logout_redirect_uri.as_deref(),
    );
    o.strs("scopes", c.scopes.iter().map(String::as_str));
    o.str("responseType", c.response_type.as_str());
    o.str("storage", storage_name(c.storage));
    o.num("clockSkewSeconds", i64::from(c.clock_skew_seconds));
    o.num("expireEarlySeconds", i64::from(c.expire_early_seconds));
    o.num("popupTimeoutMs", i64::from(c.popup_timeout_ms));
    o.num("silentTimeoutMs", i64::from(c.silent_timeout_ms));
    o.num("httpTimeoutMs", i64::from(c.http_timeout_ms));
    o.str("popupResponseMode", popup_mode_name(c.popup_response_mode));
    let mut e = Obj::new();
    for endpoint in Endpoint::ALL {
        e.opt_str(endpoint.key(), c.endpoint_override(endpoint));
    }
    o.raw("endpoints", &e.end());
    o.bool("autoRenew", c.auto_renew);
    o.bool("dpop", c.dpop);
    o.end()
}

/// Checks the app's configuration (`new AuthClient(config)`, its JSON form) and applies
/// the defaults: every option named, typed and in range, or `invalid_config` naming it
/// ([`validate_option_name`], [`validate_config`]). Returns the normalized configuration
/// (JSON, every field filled) that every other function takes as `config`.
///
/// `storage` is a name, or for an app object `{"getItem": bool, "setItem": bool,
/// "removeItem": bool}` saying which of its methods are functions (all three must be).
/// `null` members count as absent.
pub fn configure(input: &str) -> String {
    answer(
        read_config_input(input, false)
            .and_then(validate_config)
            .map(|c| write_config(&c)),
    )
}

// ---- the provider -----------------------------------------------------------------------

/// The endpoints and rules of the provider, as the shell holds them (the `Provider` JSON).
struct Provider {
    authorize: String,
    token: String,
    userinfo: Option<String>,
    introspect: Option<String>,
    revoke: Option<String>,
    logout: Option<String>,
    iss_required: bool,
    dpop: bool,
}

fn write_provider(endpoints: &Endpoints, iss_required: bool, algs: &[&str], dpop: bool) -> String {
    let mut o = Obj::new();
    o.str("authorize", endpoints.authorize());
    o.str("token", endpoints.token());
    o.str("keys", endpoints.keys());
    o.opt_str("userinfo", endpoints.userinfo());
    o.opt_str("introspect", endpoints.introspect());
    o.opt_str("revoke", endpoints.revoke());
    o.opt_str("logout", endpoints.logout());
    o.bool("issRequired", iss_required);
    o.str("algs", &algs.join(","));
    o.bool("dpop", dpop);
    o.end()
}

fn read_provider(text: &str) -> Result<Provider, Error> {
    let v = parse_object(text).ok_or(garbled("provider"))?;
    let required = |key: &str| get_string(&v, key).ok_or(garbled("provider"));
    Ok(Provider {
        authorize: required("authorize")?,
        token: required("token")?,
        userinfo: get_string(&v, "userinfo"),
        introspect: get_string(&v, "introspect"),
        revoke: get_string(&v, "revoke"),
        logout: get_string(&v, "logout"),
        iss_required: v.get("issRequired").and_then(Value::as_bool) == Some(true),
        dpop: v.get("dpop").and_then(Value::as_bool) == Some(true),
    })
}

/// OpenID Connect Core §3.1.3.7 step 7: RS256 when the provider says nothing, narrowed
/// to what the shell verifies.
fn default_algs() -> Vec<&'static str> {
    DEFAULT_ALLOWED_ALGS
        .iter()
        .copied()
        .filter(|alg| SUPPORTED_ALGS.contains(alg))
        .collect()
}

/// The provider known without discovery ([`derive_endpoints`]: Okta's conventional
/// endpoints, or the app's overrides of `authorize`, `token` and `keys`), as the `Provider`
/// JSON: `{"authorize","token","keys","userinfo"?,"introspect"?,"revoke"?,"logout"?,
/// "issRequired": false, "algs", "dpop"}`. `issRequired` is false: without a discovery
/// document nothing says the provider sends `iss` (RFC 9207 §2.4), so it is checked when
/// present; `algs` is RS256 (OpenID Connect Core §3.1.3.7 step 7); `dpop` is the
/// configuration's (the app says the provider does DPoP). `""` when discovery is needed
/// ([`discovery_url`]).
pub fn provider_from_config(config: &str) -> String {
    answer(read_config(config).map(|c| match derive_endpoints(&c) {
        Some(endpoints) => write_provider(&endpoints, false, &default_algs(), c.dpop),
        None => String::new(),
    }))
}

/// OpenID Connect Discovery 1.0 §4.1: `{issuer}/.well-known/openid-configuration`.
pub fn discovery_url(config: &str) -> String {
    answer(read_config(config).map(|c| discovery::discovery_url(&c.issuer)))
}

/// Reads the discovery document the shell fetched (OpenID Connect Discovery 1.0 §4.2):
/// a 200 must be `application/json` (else `invalid_response`, before parsing: an HTML page
/// served with 200 is no document), then [`discovery::process_discovery_response`] (the
/// issuer byte for byte, §4.3; the endpoints; the app's overrides applied). Returns the
/// `Provider` JSON: `issRequired` from `authorization_response_iss_parameter_supported`
/// (RFC 9207 §3), `algs` the supported algorithms narrowed to the published
/// `id_token_signing_alg_values_supported` (Discovery §3), RS256 when it is absent; `dpop`
/// whether `dpop_signing_alg_values_supported` (RFC 9449 §5.1) lists ES256, the one
/// algorithm of the shell's DPoP key.
pub fn process_discovery_response(
    config: &str,
    status: u32,
    content_type: &str,
    body: &[u8],
) -> String {
    answer(process_discovery_response_inner(
        config,
        status,
        content_type,
        body,
    ))
}

fn process_discovery_response_inner(
    config: &str,
    status: u32,
    content_type: &str,
    body: &[u8],
) -> Result<String, Error> {
    let config = read_config(config)?;
    let response = http(status, content_type, "", body);
    if response.status == 200 && !is_media_type(response.content_type, "application/json") {
        return Err(Error::InvalidResponse {
            context: "discovery document",
            problem: "Content-Type is not application/json",
        });
    }
    let d = discovery::process_discovery_response(response.status, body, &config)?;
    let algs: Vec<&str> = match d.id_token_signing_alg_values_supported() {
        Some(published) => SUPPORTED_ALGS
            .iter()
            .copied()
            .filter(|alg| published.iter().any(|p| p == alg))
            .collect(),
        None => default_algs(),
    };
    let dpop = d
        .dpop_signing_alg_values_supported()
        .is_some_and(|a| a.iter().any(|a| a == "ES256"));
    Ok(write_provider(
        d.endpoints(),
        d.iss_parameter() == IssParameter::Required,
        &algs,
        dpop,
    ))
}

// ---- the authorize request --------------------------------------------------------------

/// How many random bytes [`build_authorize_request`] takes (`crypto.getRandomValues`):
/// state, nonce and PKCE verifier ([`AuthorizeRandomness::LEN`]).
pub fn authorize_random_length() -> u32 {
    AuthorizeRandomness::LEN as u32
}

/// Per-call sign-in options (the app's `SignInOptions`).
#[derive(Default)]
struct SignInOptions {
    scopes: Option<Vec<String>>,
    response_type: Option<String>,
    response_mode: Option<String>,
    prompt: Option<String>,
    display: Option<String>,
    max_age: Option<u32>,
    login_hint: Option<String>,
    idp: Option<String>,
    idp_scope: Option<String>,
    session_token: Option<String>,
    acr_values: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    extra_params: Vec<(String, String)>,
    app_state: Option<String>,
    redirect_uri: Option<String>,
    popup_response_mode: Option<String>,
}

/// An options object (`""`, `null` = none) whose keys must all be known.
fn options_object(text: &str, known: &[&str]) -> Result<Option<Value>, Error> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let value = json::parse(text.as_bytes()).map_err(|_| param("options", "must be an object"))?;
    let members = match &value {
        Value::Null => return Ok(None),
        Value::Object(members) => members,
        _ => return Err(param("options", "must be an object")),
    };
    for (key, _) in members {
        if !known.contains(&key.as_str()) {
            return Err(param(
                key,
                "is not a known option (names are case-sensitive)",
            ));
        }
    }
    Ok(Some(value))
}

fn opt_str(obj: &Value, key: &str) -> Result<Option<String>, Error> {
    member(obj, key)
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or(param(key, "must be a string"))
        })
        .transpose()
}

fn opt_u32(obj: &Value, key: &str) -> Result<Option<u32>, Error> {
    member(obj, key)
        .map(|v| {
            v.as_i64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(param(key, "must be a whole number of seconds"))
        })
        .transpose()
}

/// The facade's `SignInOptions` reader, over JSON. `appState` arrives as the JSON text the
/// shell made of it (`JSON.stringify`), and is kept as is.
fn read_sign_in_options(text: &str) -> Result<SignInOptions, Error> {
    const KNOWN: [&str; 17] = [
        "scopes",
        "responseType",
        "responseMode",
        "prompt",
        "display",
        "maxAge",
        "loginHint",
        "idp",
        "idpScope",
        "sessionToken",
        "acrValues",
        "state",
        "nonce",
        "extraParams",
        "appState",
        "redirectUri",
        "popupResponseMode",
    ];
    let Some(o) = options_object(text, &KNOWN)? else {
        return Ok(SignInOptions::default());
    };
    let scopes = member(&o, "scopes")
        .map(|v| strings(v).ok_or(param("scopes", "must be an array of strings")))
        .transpose()?;
    let mut extra_params = Vec::new();
    if let Some(extra) = member(&o, "extraParams") {
        let members = extra
            .as_object()
            .ok_or(param("extraParams", "must be an object of strings"))?;
        for (k, v) in members {
            let v = v
                .as_str()
                .ok_or(param("extraParams", "must be an object of strings"))?;
            extra_params.push((k.clone(), v.to_owned()));
        }
    }
    let app_state = member(&o, "appState")
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or(param("appState", "must be JSON-serialisable"))
        })
        .transpose()?;
    Ok(SignInOptions {
        scopes,
        response_type: opt_str(&o, "responseType")?,
        response_mode: opt_str(&o, "responseMode")?,
        prompt: opt_str(&o, "prompt")?,
        display: opt_str(&o, "display")?,
        max_age: opt_u32(&o, "maxAge")?,
        login_hint: opt_str(&o, "loginHint")?,
        idp: opt_str(&o, "idp")?,
        idp_scope: opt_str(&o, "idpScope")?,
        session_token: opt_str(&o, "sessionToken")?,
        acr_values: opt_str(&o, "acrValues")?,
        state: opt_str(&o, "state")?,
        nonce: opt_str(&o, "nonce")?,
        extra_params,
        app_state,
        redirect_uri: opt_str(&o, "redirectUri")?,
        popup_response_mode: opt_str(&o, "popupResponseMode")?,
    })
}

/// How a popup or silent sign-in gets its response back: the per-call
/// `popupResponseMode`, else the configured one.
fn popup_response_mode(
    config: &ClientConfig,
    options: &SignInOptions,
) -> Result<PopupResponseMode, Error> {
    match options.popup_response_mode.as_deref() {
        None => Ok(config.popup_response_mode),
        Some("okta_post_message") => Ok(PopupResponseMode::OktaPostMessage),
        Some("web_message") => Ok(PopupResponseMode::WebMessage),
        Some("callback") => Ok(PopupResponseMode::Callback),
        Some(_) => Err(param(
            "popupResponseMode",
            "must be \"okta_post_message\", \"web_message\" or \"callback\"",
        )),
    }
}

/// The authorize parameters for one call (OpenID Connect Core 1.0 §3.1.2.1): the
/// configuration's, each overridden by the call's option when given. Values are checked by
/// [`authorize::build_authorize_request`]; only their syntax is read here.
fn authorize_params(
    config: &ClientConfig,
    options: &SignInOptions,
    flow: Flow,
) -> Result<AuthorizeParams, Error> {
    let mut p = AuthorizeParams::from_config(config, flow);
    if let Some(scopes) = &options.scopes {
        p.scopes = scopes.clone();
    }
    if let Some(rt) = &options.response_type {
        p.response_type =
            ResponseType::parse(rt).map_err(|problem| param("responseType", problem))?;
    }
    if let Some(mode) = &options.response_mode {
        p.response_mode = Some(ResponseMode::parse(mode)?);
    }
    if let Some(prompt) = &options.prompt {
        p.prompt = Some(Prompt::parse(prompt)?);
    }
    p.display = match options.display.as_deref() {
        None => None,
        Some("page") => Some(Display::Page),
        Some("popup") => Some(Display::Popup),
        Some(_) => return Err(param("display", "must be \"page\" or \"popup\"")),
    };
    if let Some(uri) = &options.redirect_uri {
        p.redirect_uri = uri.clone();
    }
    p.max_age = options.max_age;
    p.login_hint = options.login_hint.clone();
    p.idp = options.idp.clone();
    p.idp_scope = options.idp_scope.clone();
    p.session_token = options.session_token.clone();
    p.acr_values = options.acr_values.clone();
    p.state = options.state.clone();
    p.nonce = options.nonce.clone();
    p.extra = options.extra_params.clone();
    Ok(p)
}

/// `form_post` sends the response as a POST body to the server; no page script can read it.
fn form_post_unreadable() -> Error {
    param(
        "responseMode",
        "form_post cannot be read by a browser app (the response is POSTed to a server)",
    )
}

/// The origin (RFC 6454 §4, WHATWG URL §4: `scheme://host[:port]`, scheme and host
/// lowercased, the scheme's default port left out) of an absolute http(s) URL.
fn origin_of(url: &str) -> Result<String, Error> {
    let parts =
        crate::protocol::url::parse_http_url(url).map_err(|_| param("url", "is not a URL"))?;
    let https = parts.is_https();
    let mut s = String::from(if https { "https://" } else { "http://" });
    s.push_str(&parts.host.to_ascii_lowercase());
    let default_port = if https { 443 } else { 80 };
    if let Some(port) = parts.port.and_then(|p| p.parse::<u16>().ok()) {
        if port != default_port {
            s.push(':');
            push_decimal(&mut s, i64::from(port));
        }
    }
    Ok(s)
}

/// The origin a popup's or iframe's response message must come from: the provider's (its
/// authorization endpoint's origin) when the provider posts it (`okta_post_message`,
/// `web_message`: draft-sakimura-oauth-wmrm §5), the app's own when its callback page does
/// (`query` or `fragment`); the redirect URI must then be on the page's origin, or the
/// answer would never be listened to.
fn expected_origin(
    mode: ResponseMode,
    redirect_uri: &str,
    authorize_endpoint: &str,
    page_origin: &str,
) -> Result<String, Error> {
    match mode {
        ResponseMode::OktaPostMessage | ResponseMode::WebMessage => origin_of(authorize_endpoint),
        ResponseMode::FormPost => Err(form_post_unreadable()),
        ResponseMode::Query | ResponseMode::Fragment => {
            if page_origin.is_empty() {
                return Err(Error::Internal {
                    problem: "the page has no origin".into(),
                });
            }
            if origin_of(redirect_uri)? != page_origin {
                return Err(param(
                    "redirectUri",
                    "must be on the app's own origin for popupResponseMode \"callback\" (or a query/fragment responseMode)",
                ));
            }
            Ok(page_origin.to_owned())
        }
    }
}

/// Builds the authorize request of one sign-in (RFC 6749 §4.1.1, OpenID Connect Core 1.0
/// §3.1.2.1, PKCE per RFC 7636 §4.2) with [`authorize::build_authorize_request`]: the
/// configuration's parameters, each overridden by `options` (the app's `SignInOptions` as
/// JSON), against the provider's authorization endpoint, with `random`
/// ([`authorize_random_length`] bytes from `crypto.getRandomValues`).
///
/// `flow`: `"url"` (`buildAuthorizeUrl`) and `"redirect"` use the redirect defaults (OAuth
/// 2.0 Multiple Response Type Encoding Practices §5); `"redirect"` also refuses a response
/// mode no page can read back (`form_post`, the message modes). `"popup"` and `"silent"`
/// (`prompt=none`) take the per-call `popupResponseMode`, else the configured one, and
/// return the origin the response message must come from (`origin`; `page_origin` is
/// `location.origin`).
///
/// `dpop_jkt`: with `dpop: true`, the thumbprint of the DPoP key ([`dpop_jkt`]) whose
/// proofs the code exchange will carry, kept in the transaction and sent as `dpop_jkt`
/// (RFC 9449 §10: the code is bound to it) when the provider does DPoP; `""` otherwise. A
/// per-call `responseType` with `token` is refused with `dpop: true`.
///
/// Returns `{"url","state","nonce","codeVerifier"?,"transaction","origin"?}`;
/// `transaction` is the text the response is checked against (with `appState` for a
/// redirect, and `now` as its time).
#[allow(clippy::too_many_arguments)]
pub fn build_authorize_request(
    config: &str,
    provider: &str,
    options: &str,
    flow: &str,
    random: &[u8],
    page_origin: &str,
    now: f64,
    dpop_jkt: &str,
) -> String {
    answer(build_authorize_request_inner(
        config,
        provider,
        options,
        flow,
        random,
        page_origin,
        now,
        dpop_jkt,
    ))
}

/// A DPoP key thumbprint the shell passes: one with `dpop: true` (43 base64url
/// characters, RFC 7638 SHA-256), none (`""`) without, and none for `buildAuthorizeUrl`
/// (flow `url`): the app redeems that code itself, with a key of its own.
fn read_jkt(config: &ClientConfig, jkt: &str, flow: &str) -> Result<Option<String>, Error> {
    match (config.dpop, jkt.is_empty()) {
        (false, true) => Ok(None),
        (true, true) if flow == "url" => Ok(None),
        (true, false) if dpop::is_sha256_b64(jkt) => Ok(Some(jkt.to_owned())),
        (true, _) => Err(param(
            "dpop_jkt",
            "must be the DPoP key's SHA-256 JWK thumbprint with dpop: true",
        )),
        (false, false) => Err(param("dpop_jkt", "must be empty without dpop: true")),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_authorize_request_inner(
    config: &str,
    provider: &str,
    options: &str,
    flow_name: &str,
    random: &[u8],
    page_origin: &str,
    now: f64,
    dpop_jkt: &str,
) -> Result<String, Error> {
    let config = read_config(config)?;
    let provider = read_provider(provider)?;
    let now = now_seconds(now)?;
    let dpop_jkt = read_jkt(&config, dpop_jkt, flow_name)?;
    let options = read_sign_in_options(options)?;
    let flow = match flow_name {
        "url" | "redirect" => Flow::Redirect,
        "popup" => Flow::Popup(popup_response_mode(&config, &options)?),
        "silent" => Flow::Silent(popup_response_mode(&config, &options)?),
        _ => return Err(param("flow", "must be url, redirect, popup or silent")),
    };
    let mut params = authorize_params(&config, &options, flow)?;
    if config.dpop && params.response_type.token {
        return Err(param("responseType", DPOP_WITH_TOKEN));
    }
    if provider.dpop {
        params.dpop_jkt = dpop_jkt.clone();
    }
    let bytes: &[u8; AuthorizeRandomness::LEN] =
        random.try_into().map_err(|_| Error::Internal {
            problem: "the authorize request needs authorize_random_length() random bytes".into(),
        })?;
    let request = authorize::build_authorize_request(
        &provider.authorize,
        &params,
        &AuthorizeRandomness::from_bytes(bytes),
    )?;
    let t = &request.transaction;
    let origin = match flow {
        Flow::Redirect if flow_name == "redirect" => {
            match t.response_mode {
                ResponseMode::Query | ResponseMode::Fragment => {}
                ResponseMode::FormPost => return Err(form_post_unreadable()),
                ResponseMode::OktaPostMessage | ResponseMode::WebMessage => {
                    return Err(param(
                        "responseMode",
                        "must be query or fragment for a redirect sign-in (message modes are for signInWithPopup and signInSilently)",
                    ))
                }
            }
            None
        }
        Flow::Redirect => None,
        Flow::Popup(_) | Flow::Silent(_) => Some(expected_origin(
            t.response_mode,
            &t.redirect_uri,
            &provider.authorize,
            page_origin,
        )?),
    };
    let transaction = serialize_transaction(&StoredTransaction {
        transaction: t.clone(),
        issuer: config.issuer.clone(),
        client_id: config.client_id.clone(),
        app_state: if flow_name == "redirect" {
            options.app_state
        } else {
            None
        },
        created_at: now,
        dpop_jkt,
    });
    let mut o = Obj::new();
    o.str("url", &request.url);
    o.str("state", &t.state);
    o.str("nonce", &t.nonce);
    o.opt_str("codeVerifier", t.code_verifier.as_deref());
    o.str("transaction", &transaction);
    o.opt_str("origin", origin.as_deref());
    Ok(o.end())
}

// ---- the redirect callback and its transaction ------------------------------------------

/// Whether the page's `location.search` or `location.hash` holds an authorization
/// response: `state` with `code`, `error`, `id_token` or `access_token`
/// ([`is_authorization_response`]). `"1"` or `"0"`.
pub fn is_redirect_callback(search: &str, hash: &str) -> String {
    flag(is_authorization_response(search) || is_authorization_response(hash))
}

/// The `state` values of the responses in the fragment and the query, fragment first
/// ([`candidate_states`]): the keys of the transactions to look up (RFC 6749 §10.12). A
/// JSON array of strings.
pub fn redirect_states(search: &str, hash: &str) -> String {
    let states = candidate_states(search, hash);
    let mut s = String::new();
    push_str_array(&mut s, states.iter().map(String::as_str));
    s
}

/// What a stored transaction text is worth to this client at `now`: `"corrupt"` (not what
/// [`serialize_transaction`] writes, or `state` given and not its state: remove it),
/// `"expired"` (older than its lifetime, [`is_live`]: remove it), `"foreign"` (another
/// issuer's or client's: leave it to its owner, RFC 6749 §10.12 and mix-up defence), or
/// `"live"`.
pub fn transaction_status(config: &str, text: &str, state: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let now = now_seconds(now)?;
        Ok(String::from(match parse_transaction(text) {
            None => "corrupt",
            Some(t) if !state.is_empty() && t.transaction.state != state => "corrupt",
            Some(t) if !is_live(t.created_at, now) => "expired",
            Some(t) if t.issuer != config.issuer || t.client_id != config.client_id => "foreign",
            Some(_) => "live",
        }))
    })())
}

fn read_transaction(text: &str) -> Result<StoredTransaction, Error> {
    parse_transaction(text).ok_or(garbled("transaction"))
}

/// A transaction of this client; another issuer's or client's is no transaction here
/// (its code and verifier must not go to this client's token endpoint).
fn own_transaction(config: &ClientConfig, text: &str) -> Result<StoredTransaction, Error> {
    let stored = read_transaction(text)?;
    if stored.issuer != config.issuer || stored.client_id != config.client_id {
        return Err(Error::TransactionNotFound);
    }
    Ok(stored)
}

/// The `search` and `hash` to leave in the address bar once a redirect response was read:
/// the response parameters removed from the part the transaction's `response_mode` used
/// ([`strip_response_parameters`]), everything else kept, so that a reload or a shared
/// link does not carry the code or tokens. `{"search","hash"}`, or `""` for other modes.
pub fn cleaned_location(transaction: &str, search: &str, hash: &str) -> String {
    answer(read_transaction(transaction).map(|stored| {
        let (search, hash) = match stored.transaction.response_mode {
            ResponseMode::Query => (strip_response_parameters(search), hash.to_owned()),
            ResponseMode::Fragment => (search.to_owned(), strip_response_parameters(hash)),
            _ => return String::new(),
        };
        let mut o = Obj::new();
        o.str("search", &search);
        o.str("hash", &hash);
        o.end()
    }))
}

/// The app state (JSON text) a redirect sign-in stored with its transaction, or `""`.
pub fn transaction_app_state(transaction: &str) -> String {
    answer(read_transaction(transaction).map(|t| t.app_state.unwrap_or_default()))
}

/// Whether the authorization response must carry `iss` (RFC 9207 §2.4): only when the
/// discovery document says so. An issuer whose endpoints are known without discovery
/// fetches none, and `iss` is then checked when present. Okta's `okta_post_message`
/// payload never carries `iss`, so in that mode it is checked when present; the message's
/// origin and source are checked instead (by the shell).
fn iss_parameter(config: &ClientConfig, provider: &Provider, mode: ResponseMode) -> IssParameter {
    if mode == ResponseMode::OktaPostMessage
        || derive_endpoints(config).is_some()
        || !provider.iss_required
    {
        IssParameter::CheckIfPresent
    } else {
        IssParameter::Required
    }
}

fn write_validated(c: &ValidatedResponse) -> String {
    let mut o = Obj::new();
    o.str("state", c.state());
    o.opt_str("code", c.code());
    o.opt_str("idToken", c.id_token());
    o.opt_str("accessToken", c.access_token());
    o.opt_str("tokenType", c.token_type());
    if let Some(n) = c.expires_in() {
        o.num("expiresIn", i64::from(n));
    }
    o.opt_str("scope", c.scope());
    o.end()
}

/// A validated response of `transaction` (JSON from `validate_*`), read back.
fn read_validated(text: &str, transaction: &StoredTransaction) -> Result<ValidatedResponse, Error> {
    let v = parse_object(text).ok_or(garbled("validated"))?;
    let state = get_string(&v, "state").ok_or(garbled("validated"))?;
    if state != transaction.transaction.state {
        return Err(Error::StateMismatch);
    }
    let expires_in = match v.get("expiresIn") {
        None => None,
        Some(n) => Some(
            n.as_i64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(garbled("validated"))?,
        ),
    };
    Ok(ValidatedResponse::from_validated_parts(
        state,
        get_string(&v, "code"),
        get_string(&v, "idToken"),
        get_string(&v, "accessToken"),
        get_string(&v, "tokenType"),
        expires_in,
        get_string(&v, "scope"),
    ))
}

/// Validates a redirect response against its (live, own) transaction: the part of a
/// redirect callback after the transaction was found by its state. The response is read
/// from the query or the fragment as the transaction's `response_mode` says (a
/// `form_post` is unreadable; a message mode never comes back to a page:
/// `transaction_not_found`), then [`response::validate_authorization_response`]: state
/// (RFC 6749 §10.12), `iss` (RFC 9207 §2.4), the provider's `error` (§4.1.2.1), what the
/// request asked for. Returns the validated response as JSON
/// `{"state","code"?,"idToken"?,"accessToken"?,"tokenType"?,"expiresIn"?,"scope"?}`.
pub fn validate_redirect_response(
    config: &str,
    provider: &str,
    transaction: &str,
    search: &str,
    hash: &str,
) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let stored = own_transaction(&config, transaction)?;
        let t = &stored.transaction;
        let raw = match t.response_mode {
            ResponseMode::Query => RawResponse::from_query(search)?,
            ResponseMode::Fragment => RawResponse::from_fragment(hash)?,
            ResponseMode::FormPost => return Err(form_post_unreadable()),
            ResponseMode::OktaPostMessage | ResponseMode::WebMessage => {
                return Err(Error::TransactionNotFound)
            }
        };
        let expected = ExpectedResponse::for_transaction(
            t,
            &config.issuer,
            iss_parameter(&config, &provider, t.response_mode),
        );
        Ok(write_validated(&response::validate_authorization_response(
            &raw, &expected,
        )?))
    })())
}

/// The `type` of the message the app's callback page posts in `popupResponseMode:
/// "callback"`: `{type, search: location.search, hash: location.hash}`.
const CALLBACK_MESSAGE_TYPE: &str = "okta-auth-wasm:callback";

/// The payload as the transport of `mode` shapes it.
fn message_response(value: &Value, mode: ResponseMode) -> Result<RawResponse, Error> {
    const CONTEXT: &str = "callback page message";
    let part = |name: &str| -> Result<&str, Error> {
        if get_str(value, "type") != Some(CALLBACK_MESSAGE_TYPE) {
            return Err(Error::InvalidResponse {
                context: CONTEXT,
                problem: "type is not \"okta-auth-wasm:callback\"",
            });
        }
        get_str(value, name).ok_or(Error::InvalidResponse {
            context: CONTEXT,
            problem: "search or hash is not a string",
        })
    };
    match mode {
        ResponseMode::OktaPostMessage => RawResponse::from_okta_post_message(value),
        ResponseMode::WebMessage => RawResponse::from_web_message(value),
        ResponseMode::Query => RawResponse::from_query(part("search")?),
        ResponseMode::Fragment => RawResponse::from_fragment(part("hash")?),
        ResponseMode::FormPost => Err(form_post_unreadable()),
    }
}

/// Judges a `message` event of a popup or silent sign-in. The shell checked first that
/// `event.origin` is the expected origin ([`build_authorize_request`]'s `origin`) and that
/// `event.source` is the sign-in's window; `data` is `JSON.stringify(event.data)`.
///
/// `""` (ignore it, keep waiting) when the data is not JSON, does not have the transport's
/// shape, or does not carry this transaction's `state` ([`answers_state`]: RFC 6749 §10.12,
/// it answers some other request, or is forged to abort this one). Otherwise the verdict
/// of [`response::validate_authorization_response`], which ends the wait: the validated
/// response (as [`validate_redirect_response`] returns it) or the error.
pub fn validate_message(config: &str, provider: &str, transaction: &str, data: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let stored = own_transaction(&config, transaction)?;
        let t = &stored.transaction;
        let Ok(value) = json::parse(data.as_bytes()) else {
            return Ok(String::new());
        };
        let Ok(raw) = message_response(&value, t.response_mode) else {
            return Ok(String::new());
        };
        if !answers_state(&raw, &t.state) {
            return Ok(String::new());
        }
        let expected = ExpectedResponse::for_transaction(
            t,
            &config.issuer,
            iss_parameter(&config, &provider, t.response_mode),
        );
        Ok(write_validated(&response::validate_authorization_response(
            &raw, &expected,
        )?))
    })())
}

// ---- ID token expectations --------------------------------------------------------------

/// What an ID token must satisfy, as the shell carries it to [`validate_id_token`]:
/// `{"token"?, "source": "authorization"|"token"|"refresh", "nonce"?, "nonceCheck"?,
/// "accessToken"?, "code"?, "original"?, "maxAge"?}`.
enum Source<'a> {
    Authorization {
        nonce: &'a str,
        access_token: Option<&'a str>,
        code: Option<&'a str>,
    },
    Token {
        nonce: Expect<&'a str>,
        access_token: Option<&'a str>,
    },
    Refresh {
        original: &'a str,
        access_token: Option<&'a str>,
    },
}

fn write_expect(
    config: &ClientConfig,
    token: Option<&str>,
    source: Source<'_>,
    max_age: Option<u32>,
) -> String {
    let mut o = Obj::new();
    o.opt_str("token", token);
    // What the claims are checked against from the configuration, carried here so that
    // checking a token needs no configuration read (the hot path of verifyIdToken).
    o.str("issuer", &config.issuer);
    o.str("clientId", &config.client_id);
    o.num("clockSkewSeconds", i64::from(config.clock_skew_seconds));
    match source {
        Source::Authorization {
            nonce,
            access_token,
            code,
        } => {
            o.str("source", "authorization");
            o.str("nonce", nonce);
            o.opt_str("accessToken", access_token);
            o.opt_str("code", code);
        }
        Source::Token {
            nonce,
            access_token,
        } => {
            o.str("source", "token");
            match nonce {
                Expect::Value(n) => o.str("nonce", n),
                Expect::Absent => o.str("nonceCheck", "absent"),
                Expect::Skip => o.str("nonceCheck", "skip"),
            }
            o.opt_str("accessToken", access_token);
        }
        Source::Refresh {
            original,
            access_token,
        } => {
            o.str("source", "refresh");
            o.str("original", original);
            o.opt_str("accessToken", access_token);
        }
    }
    if let Some(m) = max_age {
        o.num("maxAge", i64::from(m));
    }
    o.end()
}

/// The expectations of the ID token in a validated authorization response (OpenID Connect
/// Core §3.2.2.11, §3.3.2.12): the nonce sent is required, `at_hash` and `c_hash` bind
/// the access token and code that came with it, `auth_time` is checked against the
/// `max_age` sent (§3.1.3.7 step 13). `""` when the response has no ID token.
pub fn front_id_token_expect(config: &str, transaction: &str, validated: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let stored = own_transaction(&config, transaction)?;
        let validated = read_validated(validated, &stored)?;
        let t = &stored.transaction;
        Ok(match validated.id_token() {
            None => String::new(),
            Some(token) => write_expect(
                &config,
                Some(token),
                Source::Authorization {
                    nonce: &t.nonce,
                    access_token: validated.access_token(),
                    code: validated.code(),
                },
                t.max_age,
            ),
        })
    })())
}

/// The expectations of the ID token of a code exchange's answer (OpenID Connect Core
/// §3.1.3.7): the nonce sent (step 11, sent on every flow), `at_hash` when present
/// (§3.1.3.8), `auth_time` against the `max_age` sent (step 13). `""` when the answer has
/// no ID token.
pub fn back_id_token_expect(config: &str, transaction: &str, token_response: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let stored = own_transaction(&config, transaction)?;
        let answer = read_token_response(token_response)?;
        let t = &stored.transaction;
        Ok(match answer.id_token() {
            None => String::new(),
            Some(token) => write_expect(
                &config,
                Some(token),
                Source::Token {
                    nonce: Expect::Value(&t.nonce),
                    access_token: Some(answer.access_token()),
                },
                t.max_age,
            ),
        })
    })())
}

/// How the tokens `held` are renewed: with their refresh token when they have one (RFC 6749
/// §6), else by a silent sign-in (`prompt=none`, OpenID Connect Core §3.1.2.1), which needs
/// the provider's session. `"refresh"` or `"silent"`.
pub fn renewal_path(config: &str, held: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let held = read_stored(&config, held)?;
        Ok(match held.and_then(|h| h.refresh_token) {
            Some(_) => "refresh",
            None => "silent",
        }
        .to_owned())
    })())
}

/// The expectations of the ID token of a refresh's answer (OpenID Connect Core §12.2):
/// `sub`, `aud`, `azp` and `auth_time` those of the held ID token, `nonce` absent or the
/// original one; without a held ID token, no nonce was sent for this grant and none is
/// checked. `at_hash` when present. `""` when the answer has no ID token.
pub fn refresh_id_token_expect(config: &str, held: &str, token_response: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let held = read_stored(&config, held)?;
        let answer = read_token_response(token_response)?;
        let Some(token) = answer.id_token() else {
            return Ok(String::new());
        };
        let access_token = Some(answer.access_token());
        let source = match held.as_ref().and_then(|h| h.id_token.as_ref()) {
            Some(original) => Source::Refresh {
                original: original.id_token(),
                access_token,
            },
            None => Source::Token {
                nonce: Expect::Skip,
                access_token,
            },
        };
        Ok(write_expect(&config, Some(token), source, None))
    })())
}

/// The `verifyIdToken(token, options)` checks: the options (`nonce`, `accessToken`,
/// `code`, `maxAge`, `now`; unknown names refused) and the rule that picks the source: a
/// `code` means a hybrid-flow ID token from the authorization response (OpenID Connect
/// Core §3.3.2.12), which requires the `nonce`; otherwise a token endpoint's, whose nonce
/// is checked when given and skipped otherwise. Returns `{"expect", "now"?}`: `expect` is
/// the expectations text (for any token: the shell hands the token to
/// [`validate_id_token`]), `now` the frozen clock if the app gave one.
pub fn verify_options(config: &str, options: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let o = options_object(options, &["nonce", "accessToken", "code", "maxAge", "now"])?;
        let read_str = |key| match &o {
            Some(o) => opt_str(o, key),
            None => Ok(None),
        };
        let read_u32 = |key| match &o {
            Some(o) => opt_u32(o, key),
            None => Ok(None),
        };
        let nonce = read_str("nonce")?;
        let access_token = read_str("accessToken")?;
        let code = read_str("code")?;
        let max_age = read_u32("maxAge")?;
        let now = read_u32("now")?;
        let source = match (&code, &nonce) {
            (Some(_), None) => {
                return Err(param(
                    "nonce",
                    "is required with code (a hybrid-flow ID token)",
                ))
            }
            (Some(code), Some(nonce)) => Source::Authorization {
                nonce,
                access_token: access_token.as_deref(),
                code: Some(code),
            },
            (None, nonce) => Source::Token {
                nonce: nonce.as_deref().map_or(Expect::Skip, Expect::Value),
                access_token: access_token.as_deref(),
            },
        };
        let mut out = Obj::new();
        out.str("expect", &write_expect(&config, None, source, max_age));
        if let Some(now) = now {
            out.num("now", i64::from(now));
        }
        Ok(out.end())
    })())
}

/// OpenID Connect Core §3.1.3.7 (with §3.2.2.11, §3.3.2.12 and §12.2 as `expect` says):
/// every claim rule of [`id_token::validate_id_token`] (`typ`, `iss`, `aud`, `azp`,
/// `exp`, `iat`, `nbf`, `sub`, `nonce`, `at_hash`, `c_hash`, `auth_time`) with `now` as the
/// clock. Returns the claims: the payload's JSON text exactly as signed.
///
/// **The signature is not checked here.** The shell calls this only for a token whose
/// signature `crypto.subtle.verify` accepted, with the key [`jws_key`] chose for it (the
/// one rule the shell owns, in `verifiedClaims`, `ts/crypto.ts`). Called on any other
/// token, it would read claims nobody vouched for.
///
/// `expect` comes from `*_id_token_expect` or [`verify_options`]; when it names a token,
/// `token` must be that one.
pub fn validate_id_token(token: &str, expect: &str, now: f64) -> String {
    answer((|| {
        let now = now_seconds(now)?;
        let e = parse_object(expect).ok_or(garbled("expect"))?;
        let issuer = get_str(&e, "issuer").ok_or(garbled("expect"))?;
        let client_id = get_str(&e, "clientId").ok_or(garbled("expect"))?;
        let clock_skew_seconds = e
            .get("clockSkewSeconds")
            .and_then(Value::as_i64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(garbled("expect"))?;
        if let Some(expected) = get_str(&e, "token").filter(|t| !t.is_empty()) {
            if expected != token {
                return Err(param(
                    "token",
                    "is not the ID token these expectations are for",
                ));
            }
        }
        let access_token = get_str(&e, "accessToken");
        let original: IdTokenClaims;
        let source = match get_str(&e, "source") {
            Some("authorization") => IdTokenSource::AuthorizationResponse {
                nonce: get_str(&e, "nonce").ok_or(garbled("expect"))?,
                access_token,
                code: get_str(&e, "code"),
            },
            Some("token") => IdTokenSource::TokenResponse {
                nonce: match (get_str(&e, "nonce"), get_str(&e, "nonceCheck")) {
                    (Some(n), _) => Expect::Value(n),
                    (None, Some("skip")) => Expect::Skip,
                    _ => Expect::Absent,
                },
                access_token,
            },
            Some("refresh") => {
                original = restore_id_token(
                    get_str(&e, "original").ok_or(garbled("expect"))?,
                    issuer,
                    client_id,
                )?;
                IdTokenSource::RefreshResponse {
                    original: &original,
                    access_token,
                }
            }
            _ => return Err(garbled("expect")),
        };
        let mut expected = IdTokenExpectations {
            issuer,
            client_id,
            source,
            max_age: None,
            clock_skew_seconds,
        };
        expected.max_age = match e.get("maxAge") {
            None => None,
            Some(m) => Some(
                m.as_i64()
                    .and_then(|m| u32::try_from(m).ok())
                    .ok_or(garbled("expect"))?,
            ),
        };
        // RFC 7515 §5.2 steps 1-7, with the algorithms the shell verifies; the signature
        // step (8) is the shell's, done before this call (see above).
        let verified =
            jwt::parse_compact_jws_with_algs(token, &SUPPORTED_ALGS)?.into_verified_unchecked();
        let claims = id_token::validate_id_token(&verified, &expected, now)?;
        Ok(claims.payload_json().to_owned())
    })())
}

// ---- keys -------------------------------------------------------------------------------

/// The JWS's parts, its header checked with the algorithms the shell verifies, its `alg`
/// one of `algs`. The payload is not parsed: nothing of it is read before the signature
/// verified ([`jwt::parse_jws_parts`]).
fn parse_jws(token: &str, algs: &str) -> Result<jwt::JwsParts, Error> {
    let parts = jwt::parse_jws_parts(token, &SUPPORTED_ALGS)?;
    if !algs.split(',').any(|a| a == parts.header.alg()) {
        return Err(Error::UnsupportedAlg {
            alg: parts.header.alg().to_owned(),
        });
    }
    Ok(parts)
}

/// What crypto.subtle.verify needs of `token`, once the checks of [`jws_key`] that need no
/// key set passed (a compact JWS, RFC 7515 §5.2 steps 1-7 but the payload's JSON; `alg` one
/// of `algs`, never `none` or `HS*`), before anything is fetched or computed for it. The
/// one answer of the core in bytes, not text: `0`, the signature's length (`u32`, little
/// endian), the signature, then the signing input (RFC 7515 §5.2 step 8: the token's bytes
/// before its last dot). An error is the usual error text (its first byte is 1):
/// `malformed_jwt`, `unsupported_alg`, `unsupported_crit`, ...
pub fn jws_parts(token: &str, algs: &str) -> Vec<u8> {
    match parse_jws(token, algs) {
        Ok(parts) => {
            let input = token
                .as_bytes()
                .get(..parts.signing_input_len)
                .unwrap_or_default();
            let mut out = Vec::with_capacity(5 + parts.signature.len() + input.len());
            out.push(0);
            out.extend_from_slice(&(parts.signature.len() as u32).to_le_bytes());
            out.extend_from_slice(&parts.signature);
            out.extend_from_slice(input);
            out
        }
        Err(e) => error_text(&e).into_bytes(),
    }
}

/// The key that verifies `token` (its RSA `n` and `e`, as published): the JWS parsed with
/// the algorithms the shell verifies (RFC 7515 §5.2, RFC 8725 §3.1: `none` and `HS*`
/// never), its `alg` one of the provider's `algs` (comma-separated: Discovery §3
/// `id_token_signing_alg_values_supported`) or `unsupported_alg`, then
/// [`jwks::select_jwk`] over `jwks` (RFC 7517 §4; `kid`, `kty`, `use`, `alg`, `key_ops`;
/// RFC 7518 §3.3 key strength). `{"kid"?,"n","e"}`; `key_not_found` when no key fits
/// (the shell may then refetch, see [`jwks_action`]).
pub fn jws_key(token: &str, algs: &str, jwks: &str) -> String {
    answer((|| {
        let header = parse_jws(token, algs)?.header;
        let set = jwks::parse_jwks(jwks.as_bytes())?;
        let key = jwks::select_jwk(&set, &header)?;
        let mut o = Obj::new();
        o.opt_str("kid", key.kid());
        o.str("n", key.n());
        o.str("e", key.e());
        Ok(o.end())
    })())
}

/// Reads the answer to `GET jwks_uri` (OpenID Connect Discovery 1.0 §3, RFC 7517 §5):
/// another status than 200 is the provider's error or `unexpected_status`
/// ([`error_from_response`]); a 200 must be `application/json` or
/// `application/jwk-set+json` (RFC 7517 §8.5.1) and a JWK set ([`jwks::parse_jwks`]).
/// Returns the body as text, for [`jws_key`].
pub fn process_jwks_response(
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
) -> String {
    answer((|| {
        const CONTEXT: &str = "JWK set";
        let response = http(status, content_type, www_authenticate, body);
        if response.status != 200 {
            return Err(error_from_response(&response));
        }
        if !is_media_type(response.content_type, "application/json")
            && !is_media_type(response.content_type, "application/jwk-set+json")
        {
            return Err(Error::InvalidResponse {
                context: CONTEXT,
                problem: "Content-Type is not application/json or application/jwk-set+json",
            });
        }
        jwks::parse_jwks(body)?;
        body_text(body, CONTEXT)
    })())
}

/// When the JWK set is fetched (RFC 7517 §5 key rotation), all times in seconds since the
/// epoch: `"fetch"` when none is cached (`fetched_at` < 0) or the cached one is
/// [`JWKS_MAX_AGE_SECONDS`] old (a key the provider removed stops being trusted);
/// `"refetch"` when the token's key is missing from it (`key_missing` ≠ 0) and the last
/// refetch for that reason is [`JWKS_REFETCH_INTERVAL_SECONDS`] ago or never happened
/// (`last_refetch` < 0: forged `kid`s cannot make the client hammer the provider);
/// `"use"` otherwise. A clock set back by the interval counts as the interval passed.
pub fn jwks_action(fetched_at: f64, last_refetch: f64, now: f64, key_missing: u32) -> String {
    answer((|| {
        let now = now_seconds(now)?;
        // Negative (or not a number): none.
        let since = |t: f64, name| -> Result<Option<u64>, Error> {
            if t >= 0.0 {
                Ok(Some(now.abs_diff(seconds(t, name)?)))
            } else {
                Ok(None)
            }
        };
        let cached = since(fetched_at, "fetchedAt")?.filter(|age| *age < JWKS_MAX_AGE_SECONDS);
        if cached.is_none() {
            return Ok(String::from("fetch"));
        }
        let may_refetch = since(last_refetch, "lastRefetch")?
            .is_none_or(|age| age >= JWKS_REFETCH_INTERVAL_SECONDS);
        Ok(String::from(if key_missing != 0 && may_refetch {
            "refetch"
        } else {
            "use"
        }))
    })())
}

// ---- the token endpoint -----------------------------------------------------------------

/// A request's DPoP binding (RFC 9449): the shell adds a `DPoP` header with a proof by
/// the key of thumbprint `jkt` (§4), with `ath` for the access token sent (§4.2, §7.1).
struct Binding<'a> {
    jkt: &'a str,
    access_token: Option<&'a str>,
}

/// The request JSON `{"method","url","headers":[[name,value],...],"body"?,"token"?,
/// "dpop"?:{"jkt","ath"?}}`.
fn write_request(request: &HttpRequest, token: Option<&str>, dpop: Option<Binding>) -> String {
    let mut o = Obj::new();
    o.str("method", request.method.as_str());
    o.str("url", &request.url);
    write_headers(&mut o, &request.headers);
    o.opt_str("body", request.body.as_deref());
    o.opt_str("token", token);
    write_binding(&mut o, dpop);
    o.end()
}

/// `"headers":[[name,value],...]`
fn write_headers(o: &mut Obj, headers: &[(&str, String)]) {
    o.key("headers");
    o.0.push('[');
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            o.0.push(',');
        }
        push_str_array(&mut o.0, [*name, value.as_str()]);
    }
    o.0.push(']');
}

fn write_binding(o: &mut Obj, dpop: Option<Binding>) {
    if let Some(b) = dpop {
        let mut d = Obj::new();
        d.str("jkt", b.jkt);
        if let Some(at) = b.access_token {
            d.str("ath", &dpop::ath(at));
        }
        o.raw("dpop", &d.end());
    }
}

/// The held access token's DPoP key, when it is bound to one (RFC 9449 §5: its
/// `token_type` is `DPoP`, and the key is held); `None` for a bearer token.
fn bound_key(t: &StoredTokens) -> Option<&str> {
    t.access_token
        .as_ref()
        .filter(|at| at.token_type.eq_ignore_ascii_case("DPoP"))
        .and(t.dpop_jkt.as_deref())
}

/// RFC 6750 §2.1 / RFC 9449 §7.1: the `Authorization` header that sends the held access
/// token `at` of `t` (`Bearer`, or `DPoP` for a bound one), and its binding when bound.
fn present<'a>(
    t: &'a StoredTokens,
    at: &'a StoredAccessToken,
) -> Result<((&'static str, String), Option<Binding<'a>>), Error> {
    let jkt = bound_key(t);
    let header = resource::authorization(&at.value, jkt.is_some())?;
    Ok((
        ("Authorization", header),
        jkt.map(|jkt| Binding {
            jkt,
            access_token: Some(&at.value),
        }),
    ))
}

/// RFC 6749 §4.1.3 with RFC 7636 §4.5: the code exchange of a validated response, with the
/// transaction's PKCE verifier and the same `redirect_uri`, the public client identified by
/// `client_id` in the body ([`token::build_authorization_code_request`]). The request as
/// JSON `{"method","url","headers":[[name,value],...],"body"}`; `""` when the response has
/// no code; `invalid_code_verifier` when the transaction has no verifier. With the
/// transaction's DPoP key (`dpop: true`), `"dpop":{"jkt"}`: a proof by it (RFC 9449 §5).
pub fn code_exchange_request(
    config: &str,
    provider: &str,
    transaction: &str,
    validated: &str,
) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let stored = own_transaction(&config, transaction)?;
        let validated = read_validated(validated, &stored)?;
        let Some(code) = validated.code() else {
            return Ok(String::new());
        };
        let t = &stored.transaction;
        let verifier = t
            .code_verifier
            .as_deref()
            .ok_or(Error::InvalidCodeVerifier)?;
        let request = token::build_authorization_code_request(
            &provider.token,
            &config.client_id,
            code,
            &t.redirect_uri,
            verifier,
        );
        let dpop = stored.dpop_jkt.as_deref().map(|jkt| Binding {
            jkt,
            access_token: None,
        });
        Ok(write_request(&request, None, dpop))
    })())
}

/// RFC 6749 §6: the refresh of the held tokens with their refresh token
/// ([`token::build_refresh_token_request`]); `not_authenticated` ("a refresh token") when
/// none is held. Tokens bound to a DPoP key are refreshed with a proof by it
/// (`"dpop":{"jkt"}`, RFC 9449 §5).
pub fn refresh_request(config: &str, provider: &str, held: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let held = read_stored(&config, held)?;
        let held = held.as_ref();
        let refresh_token =
            held.and_then(|h| h.refresh_token.as_deref())
                .ok_or(Error::NotAuthenticated {
                    missing: "a refresh token",
                })?;
        let request = token::build_refresh_token_request(
            &provider.token,
            &config.client_id,
            refresh_token,
            None,
        )?;
        let dpop = held.and_then(|h| h.dpop_jkt.as_deref()).map(|jkt| Binding {
            jkt,
            access_token: None,
        });
        Ok(write_request(&request, None, dpop))
    })())
}

fn write_token_response(t: &TokenResponse) -> String {
    let mut o = Obj::new();
    o.str("access_token", t.access_token());
    o.str("token_type", t.token_type());
    if let Some(n) = t.expires_in() {
        o.num("expires_in", i64::try_from(n).unwrap_or(i64::MAX));
    }
    o.opt_str("scope", t.scope());
    o.opt_str("refresh_token", t.refresh_token());
    o.opt_str("id_token", t.id_token());
    o.opt_str("dpop_jkt", t.dpop_jkt());
    o.end()
}

/// A token response text from [`process_token_response`], read (and checked) again, with
/// the DPoP key it was read for.
fn read_token_response(text: &str) -> Result<TokenResponse, Error> {
    let jkt = parse_object(text).and_then(|v| get_string(&v, "dpop_jkt"));
    token::process_token_response(
        &HttpResponse {
            status: 200,
            content_type: Some("application/json"),
            www_authenticate: None,
            body: text.as_bytes(),
        },
        jkt.as_deref(),
    )
}

/// RFC 6749 §5.1 / §5.2: reads the token endpoint's answer
/// ([`token::process_token_response`]): the provider's error (`invalid_grant`, ...), or an
/// answer with a Bearer `access_token`, and `expires_in`, `scope`, `refresh_token` and
/// `id_token` checked when present. `dpop_jkt`: the thumbprint of the DPoP key whose proof
/// the request carried (its `"dpop"`), or `""`: with one, the answer's `token_type` must
/// be `DPoP` (RFC 9449 §5), else `dpop_not_bound`. Returns the answer as normalized JSON
/// (the RFC 6749 §5.1 member names, and `dpop_jkt`), which this function accepts again.
pub fn process_token_response(
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
    dpop_jkt: &str,
) -> String {
    answer((|| {
        let jkt = match dpop_jkt {
            "" => None,
            j if dpop::is_sha256_b64(j) => Some(j),
            _ => return Err(param("dpop_jkt", "is not a SHA-256 JWK thumbprint")),
        };
        token::process_token_response(&http(status, content_type, www_authenticate, body), jkt)
            .map(|t| write_token_response(&t))
    })())
}

// ---- tokens -----------------------------------------------------------------------------

/// Stored tokens (`""` = none), read with [`parse_stored_tokens`]; `None` when the value
/// holds no token at all.
fn read_stored(config: &ClientConfig, text: &str) -> Result<Option<StoredTokens>, Error> {
    if text.is_empty() {
        return Ok(None);
    }
    let tokens = parse_stored_tokens(text, &config.issuer, &config.client_id)?;
    Ok(holds_any(&tokens).then_some(tokens))
}

fn holds_any(t: &StoredTokens) -> bool {
    t.id_token.is_some() || t.access_token.is_some() || t.refresh_token.is_some()
}

fn write_stored(config: &ClientConfig, tokens: &StoredTokens) -> String {
    serialize_stored_tokens(tokens, &config.issuer, &config.client_id)
}

/// A response's space-separated `scope`, or `requested` when it is absent or empty
/// (RFC 6749 §5.1: `scope` is optional when identical to the request).
fn granted_scopes(scope: Option<&str>, requested: impl FnOnce() -> Vec<String>) -> Vec<String> {
    match scope {
        Some(s) if !s.is_empty() => s.split(' ').map(str::to_owned).collect(),
        _ => requested(),
    }
}

/// The access token of a token endpoint answer received at `now` (RFC 6749 §5.1): it
/// expires `expires_in` seconds later; its scopes are the granted `scope`, else `requested`.
fn access_token_from(
    answer: &TokenResponse,
    now: i64,
    requested: impl FnOnce() -> Vec<String>,
) -> StoredAccessToken {
    StoredAccessToken {
        value: answer.access_token().to_owned(),
        expires_at: answer.expires_at(now),
        scopes: granted_scopes(answer.scope(), requested),
        token_type: answer.token_type().to_owned(),
    }
}

/// Completes a sign-in from its transaction, its validated response and (for a code) the
/// token endpoint's answer, and returns the tokens to keep (the stored text). Every ID
/// token here has passed [`validate_id_token`] with its expectations (signature first, in
/// the shell) before this call; they are read back with [`restore_id_token`].
///
/// 1. When both the authorization response and the token endpoint sent an ID token
///    (hybrid flow), their `sub` must be identical (OpenID Connect Core §3.3.3.6), and
///    the token endpoint's is kept.
/// 2. When an ID token was asked for (`id_token`, or `code` with `openid`, §3.1.3.3) and
///    none came: `missing_parameter` `id_token`.
/// 3. The access token: the token endpoint's if a code was exchanged, else the
///    authorization response's (implicit flow); it expires `expires_in` seconds after
///    `now`; its scopes are the granted `scope`, else the requested ones (RFC 6749 §5.1).
/// 4. A renewal through a silent sign-in (`renewing`: the stored tokens it renews) must
///    bring back the ID token of their user ([`renewal::validate_renewed_sub`]), or
///    `sub_mismatch`. (Whether those tokens are still held is the shell's check.)
/// 5. The tokens are bound to the DPoP key the token answer was read for (RFC 9449 §5),
///    which must be the transaction's.
pub fn complete_sign_in(
    config: &str,
    transaction: &str,
    validated: &str,
    token_response: &str,
    renewing: &str,
    now: f64,
) -> String {
    answer(complete_sign_in_inner(
        config,
        transaction,
        validated,
        token_response,
        renewing,
        now,
    ))
}

fn complete_sign_in_inner(
    config: &str,
    transaction: &str,
    validated: &str,
    token_response: &str,
    renewing: &str,
    now: f64,
) -> Result<String, Error> {
    let config = read_config(config)?;
    let stored = own_transaction(&config, transaction)?;
    let transaction = &stored.transaction;
    let validated = read_validated(validated, &stored)?;
    let now = now_seconds(now)?;
    let restore = |t: &str| restore_id_token(t, &config.issuer, &config.client_id);
    let front = validated.id_token().map(restore).transpose()?;
    let answer = match validated.code() {
        None => None,
        Some(_) if token_response.is_empty() => {
            return Err(Error::Internal {
                problem: "complete_sign_in: the code was not exchanged (no token response)".into(),
            })
        }
        Some(_) => Some(read_token_response(token_response)?),
    };
    let dpop_jkt = answer
        .as_ref()
        .and_then(TokenResponse::dpop_jkt)
        .map(str::to_owned);
    if answer.is_some() && dpop_jkt != stored.dpop_jkt {
        return Err(Error::Internal {
            problem: "the token answer was read for another DPoP key than the sign-in's".into(),
        });
    }
    let back = answer
        .as_ref()
        .and_then(TokenResponse::id_token)
        .map(restore)
        .transpose()?;
    let id_token = match (front, back) {
        (Some(front), Some(back)) => {
            if front.sub() != back.sub() {
                return Err(Error::SubMismatch {
                    problem:
                        "the two ID tokens name different users (OpenID Connect Core §3.3.3.6)",
                });
            }
            Some(back)
        }
        (front, back) => back.or(front),
    };
    if id_token.is_none() && transaction.expects_id_token() {
        return Err(Error::MissingParameter { name: "id_token" });
    }

    let requested = || transaction.scopes.clone();
    let (access_token, refresh_token) = match &answer {
        Some(t) => (
            Some(access_token_from(t, now, requested)),
            t.refresh_token().map(str::to_owned),
        ),
        None => (
            validated.access_token().map(|value| StoredAccessToken {
                value: value.to_owned(),
                expires_at: validated
                    .expires_in()
                    .map(|s| now.saturating_add(i64::from(s))),
                scopes: granted_scopes(validated.scope(), requested),
                token_type: validated.token_type().unwrap_or("Bearer").to_owned(),
            }),
            None,
        ),
    };

    if !renewing.is_empty() {
        let held = read_stored(&config, renewing)?;
        renewal::validate_renewed_sub(
            held.as_ref()
                .and_then(|h| h.id_token.as_ref())
                .map(IdTokenClaims::sub),
            id_token.as_ref().map(IdTokenClaims::sub),
        )?;
    }

    Ok(write_stored(
        &config,
        &StoredTokens {
            id_token,
            access_token,
            refresh_token,
            dpop_jkt,
        },
    ))
}

/// Completes a refresh (RFC 6749 §6) of the held tokens with the token endpoint's answer
/// (read by [`process_token_response`]), and returns the tokens to keep (the stored text).
/// A new ID token has passed [`validate_id_token`] with [`refresh_id_token_expect`] (OpenID
/// Connect Core §12.2) before this call. Without one, the held ID token is kept while it
/// is not due itself ([`keeps_id_token_after_refresh`]). The access token is the answer's,
/// its scopes the granted `scope`, else the held ones (RFC 6749 §5.1). A rotated refresh
/// token replaces the held one, else the held one is kept (RFC 6749 §6, RFC 9700 §4.14.2).
/// The answer must have been read for the DPoP key the held tokens are bound to (none for
/// bearer tokens), or `internal`.
pub fn complete_refresh(config: &str, held: &str, token_response: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let held = read_stored(&config, held)?.ok_or(Error::NotAuthenticated {
            missing: "a refresh token",
        })?;
        let answer = read_token_response(token_response)?;
        if answer.dpop_jkt() != held.dpop_jkt.as_deref() {
            return Err(Error::Internal {
                problem: "the refresh answer was read for another DPoP key than the tokens held"
                    .into(),
            });
        }
        let now = now_seconds(now)?;
        let early = i64::from(config.expire_early_seconds);
        let id_token = match answer.id_token() {
            None => held
                .id_token
                .clone()
                .filter(|t| keeps_id_token_after_refresh(t.exp(), early, now)),
            Some(token) => Some(restore_id_token(token, &config.issuer, &config.client_id)?),
        };
        let held_scopes = || {
            held.access_token
                .as_ref()
                .map(|t| t.scopes.clone())
                .unwrap_or_default()
        };
        let tokens = StoredTokens {
            id_token,
            access_token: Some(access_token_from(&answer, now, held_scopes)),
            refresh_token: answer
                .refresh_token()
                .map(str::to_owned)
                .or_else(|| held.refresh_token.clone()),
            dpop_jkt: held.dpop_jkt.clone(),
        };
        Ok(write_stored(&config, &tokens))
    })())
}

fn expiries(t: &StoredTokens) -> Expiries {
    Expiries {
        id_token: t.id_token.as_ref().map(IdTokenClaims::exp),
        access_token: t.access_token.as_ref().and_then(|a| a.expires_at),
    }
}

/// After a refresh refused with `invalid_grant` (RFC 6749 §5.2: the refresh token is
/// revoked, expired, or already rotated): `"current"` when the tokens held now (`current`,
/// read again from storage) carry another refresh token than the one `sent` and are not
/// due (another tab renewed first: use them), `"expired"` otherwise (clear the tokens).
pub fn invalid_grant_outcome(config: &str, sent: &str, current: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let now = now_seconds(now)?;
        let sent = read_stored(&config, sent)?;
        let sent_rt = sent.as_ref().and_then(|s| s.refresh_token.as_deref());
        let current = read_stored(&config, current).ok().flatten();
        let early = i64::from(config.expire_early_seconds);
        Ok(String::from(match current {
            Some(t)
                if t.refresh_token.as_deref() != sent_rt
                    && !renewal::renewal_due(expiries(&t), Which::All, early, now) =>
            {
                "current"
            }
            _ => "expired",
        }))
    })())
}

/// Reads a stored value (one key per issuer and client id): [`parse_stored_tokens`], all
/// or nothing (another version, issuer or client, a wrong type, an ID token that fails
/// [`restore_id_token`]: the error). Returns the normalized text, or `""` when the value
/// holds no token at all.
pub fn parse_stored(config: &str, text: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        Ok(match read_stored(&config, text)? {
            Some(t) => write_stored(&config, &t),
            None => String::new(),
        })
    })())
}

/// The app's `Tokens` (JSON) of stored tokens: `{"idToken": {"value", "claims" (the
/// payload exactly as signed), "expiresAt", "issuer", "clientId"}, "accessToken":
/// {"value", "expiresAt"?, "scopes", "tokenType"}, "refreshToken": {"value"}}`, each only
/// when held (`{}` for none).
pub fn tokens_view(config: &str, stored: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let mut o = Obj::new();
        let Some(t) = read_stored(&config, stored)? else {
            return Ok(o.end());
        };
        if let Some(id) = &t.id_token {
            let client_id = id
                .azp()
                .or(id.aud().first().map(String::as_str))
                .unwrap_or_default();
            let mut i = Obj::new();
            i.str("value", id.id_token());
            i.raw("claims", id.payload_json());
            i.num("expiresAt", id.exp());
            i.str("issuer", id.iss());
            i.str("clientId", client_id);
            o.raw("idToken", &i.end());
        }
        if let Some(at) = &t.access_token {
            let mut a = Obj::new();
            a.str("value", &at.value);
            if let Some(exp) = at.expires_at {
                a.num("expiresAt", exp);
            }
            a.strs("scopes", at.scopes.iter().map(String::as_str));
            a.str("tokenType", &at.token_type);
            o.raw("accessToken", &a.end());
        }
        if let Some(rt) = &t.refresh_token {
            let mut r = Obj::new();
            r.str("value", rt);
            o.raw("refreshToken", &r.end());
        }
        Ok(o.end())
    })())
}

fn same_user(a: &StoredTokens, b: &StoredTokens) -> bool {
    match (&a.id_token, &b.id_token) {
        (Some(x), Some(y)) => x.sub() == y.sub(),
        (None, None) => true,
        _ => false,
    }
}

/// The event a change of the held tokens from `old` to `new` (stored texts, `""` for
/// none) is: `"added"` (tokens of a user not held before), `"renewed"` (new tokens of the
/// same user: same ID token `sub`, or neither has an ID token), `"removed"`, or `""` when
/// nothing changed.
pub fn change_event(config: &str, old: &str, next: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let old = read_stored(&config, old)?;
        let new = read_stored(&config, next)?;
        Ok(String::from(match (&old, &new) {
            (None, None) => "",
            (Some(o), Some(n)) if o == n => "",
            (Some(o), Some(n)) if same_user(o, n) => "renewed",
            (_, Some(_)) => "added",
            (Some(_), None) => "removed",
        }))
    })())
}

fn read_which(which: &str) -> Result<Which, Error> {
    match which {
        "all" => Ok(Which::All),
        "id" => Ok(Which::IdToken),
        "access" => Ok(Which::AccessToken),
        _ => Err(param("which", "must be all, id or access")),
    }
}

/// Whether the stored tokens must be renewed before `which` (`"all"`, `"id"`, `"access"`)
/// is handed out: that token is expired or within `expireEarlySeconds` of it
/// ([`renewal::renewal_due`]). `"1"` or `"0"` (`"0"` for no tokens).
pub fn renewal_due(config: &str, stored: &str, which: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let which = read_which(which)?;
        let now = now_seconds(now)?;
        let early = i64::from(config.expire_early_seconds);
        Ok(flag(read_stored(&config, stored)?.is_some_and(|t| {
            renewal::renewal_due(expiries(&t), which, early, now)
        })))
    })())
}

/// A token just renewed for `which` must not already be expired at `now`
/// ([`renewal::validate_renewed`]): `""`, or `expired`.
pub fn validate_renewed(config: &str, stored: &str, which: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let which = read_which(which)?;
        let now = now_seconds(now)?;
        if let Some(t) = read_stored(&config, stored)? {
            renewal::validate_renewed(expiries(&t), which, now)?;
        }
        Ok(String::new())
    })())
}

/// Seconds from `now` until the auto-renew timer fires: `expireEarlySeconds` before the
/// earliest known expiry, within its bounds ([`renewal::renewal_delay`]); `"-1"` when no
/// expiry is known.
pub fn renewal_delay(config: &str, stored: &str, now: f64) -> String {
    answer((|| {
        let config = read_config(config)?;
        let now = now_seconds(now)?;
        let early = i64::from(config.expire_early_seconds);
        let delay = read_stored(&config, stored)?
            .and_then(|t| renewal::renewal_delay(expiries(&t), early, now))
            .unwrap_or(-1);
        let mut s = String::new();
        push_decimal(&mut s, delay);
        Ok(s)
    })())
}

/// The storage keys of this client: `tokens` ([`stored::storage_key`]), the renewal
/// `marker` beside them ([`stored::renewal_marker_key`]), the Web Lock name of its
/// renewals (`lock`), and the prefix of stored transactions (`transactionPrefix`, followed
/// by the transaction's `state`).
pub fn storage_keys(config: &str) -> String {
    answer(read_config(config).map(|c| {
        let tokens = stored::storage_key(&c.issuer, &c.client_id);
        let mut lock = String::from("okta-auth-wasm:renew:");
        lock.push_str(&tokens);
        let mut o = Obj::new();
        o.str("tokens", &tokens);
        o.str(
            "marker",
            &stored::renewal_marker_key(&c.issuer, &c.client_id),
        );
        o.str("lock", &lock);
        o.str("transactionPrefix", KEY_PREFIX);
        o.end()
    }))
}

// ---- resources --------------------------------------------------------------------------

/// An optional endpoint the provider does not publish and the app did not configure.
fn no_endpoint(endpoint: Endpoint) -> Error {
    Error::InvalidConfig {
        field: endpoint.field(),
        problem: "is needed: the provider's discovery document names no such endpoint",
    }
}

fn endpoint(url: &Option<String>, which: Endpoint) -> Result<&str, Error> {
    url.as_deref().ok_or_else(|| no_endpoint(which))
}

/// OpenID Connect Core §5.3.1 with RFC 6750 §2.1: `GET` userinfo with the held access
/// token as `Authorization: Bearer` ([`resource::build_userinfo_request`]), or for a
/// DPoP-bound token as `Authorization: DPoP` with `"dpop":{"jkt","ath"}` (RFC 9449 §7.1).
/// `not_authenticated` "an access token" when none is held, "an ID token" when no ID token
/// is held (without one the answer's `sub` cannot be checked); `invalid_config`
/// `endpoints.userinfo` when the provider has no userinfo endpoint.
pub fn userinfo_request(config: &str, provider: &str, held: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let held = read_stored(&config, held)?;
        let access_token =
            held.as_ref()
                .and_then(|t| t.access_token.as_ref())
                .ok_or(Error::NotAuthenticated {
                    missing: "an access token",
                })?;
        if held.as_ref().and_then(|t| t.id_token.as_ref()).is_none() {
            return Err(Error::NotAuthenticated {
                missing: "an ID token",
            });
        }
        let url = endpoint(&provider.userinfo, Endpoint::Userinfo)?;
        let jkt = held.as_ref().and_then(bound_key);
        let request = resource::build_userinfo_request(url, &access_token.value, jkt.is_some())?;
        let dpop = jkt.map(|jkt| Binding {
            jkt,
            access_token: Some(&access_token.value),
        });
        Ok(write_request(&request, None, dpop))
    })())
}

/// OpenID Connect Core §5.3.2 / §5.3.3: reads the userinfo answer
/// ([`resource::process_userinfo_response`]: the `WWW-Authenticate: Bearer` error of RFC
/// 6750 §3.1, no signed userinfo, a JSON object whose `sub` is the held ID token's, else
/// `sub_mismatch`). Returns the claims: the body text as sent.
pub fn process_userinfo_response(
    config: &str,
    held: &str,
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
) -> String {
    answer((|| {
        let config = read_config(config)?;
        let held = read_stored(&config, held)?;
        let sub = held
            .as_ref()
            .and_then(|t| t.id_token.as_ref())
            .map(IdTokenClaims::sub)
            .ok_or(Error::NotAuthenticated {
                missing: "an ID token",
            })?;
        resource::process_userinfo_response(
            &http(status, content_type, www_authenticate, body),
            sub,
        )?;
        body_text(body, "userinfo response")
    })())
}

/// RFC 7662 §2.1: introspects `token` ([`resource::build_introspect_request`]: a form
/// POST, the public client identified by `client_id` in the body). `hint` is `""` (none),
/// `access_token`, `refresh_token` or `id_token` ([`TokenTypeHint::parse`]);
/// `invalid_config` `endpoints.introspect` without an introspection endpoint. No DPoP:
/// RFC 7662 authenticates the client, not a token, and a DPoP `Authorization` header is
/// refused there (oidc-provider reads it as client authentication: 400 `invalid_request`).
pub fn introspect_request(config: &str, provider: &str, token: &str, hint: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let hint = if hint.is_empty() {
            None
        } else {
            Some(TokenTypeHint::parse(hint)?)
        };
        let url = endpoint(&provider.introspect, Endpoint::Introspect)?;
        let request = resource::build_introspect_request(url, &config.client_id, token, hint)?;
        Ok(write_request(&request, None, None))
    })())
}

/// RFC 7662 §2.2: reads the introspection answer ([`resource::process_introspect_response`]).
/// Returns the body text as sent.
pub fn process_introspect_response(
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
) -> String {
    answer((|| {
        resource::process_introspect_response(&http(status, content_type, www_authenticate, body))?;
        body_text(body, "introspection response")
    })())
}

fn read_revocable(which: &str) -> Result<RevocableToken, Error> {
    match which {
        "access" => Ok(RevocableToken::AccessToken),
        "refresh" => Ok(RevocableToken::RefreshToken),
        _ => Err(param("which", "must be access or refresh")),
    }
}

fn held_token(tokens: Option<&StoredTokens>, which: RevocableToken) -> Option<&str> {
    let tokens = tokens?;
    match which {
        RevocableToken::AccessToken => tokens.access_token.as_ref().map(|t| t.value.as_str()),
        RevocableToken::RefreshToken => tokens.refresh_token.as_deref(),
    }
}

/// RFC 7009 §2.1: revokes the held access or refresh token (`which`: `"access"`,
/// `"refresh"`; [`resource::build_revoke_request`]). `not_authenticated` "an access
/// token" / "a refresh token" when it is not held; `invalid_config` `endpoints.revoke`
/// without a revocation endpoint. The request JSON with `"token"`: the token revoked (to
/// forget with [`without_token`] once the provider answered 200). No DPoP, as in
/// [`introspect_request`] (RFC 7009 authenticates the client).
pub fn revoke_request(config: &str, provider: &str, held: &str, which: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let which = read_revocable(which)?;
        let held = read_stored(&config, held)?;
        let token = held_token(held.as_ref(), which).ok_or(match which {
            RevocableToken::AccessToken => Error::NotAuthenticated {
                missing: "an access token",
            },
            RevocableToken::RefreshToken => Error::NotAuthenticated {
                missing: "a refresh token",
            },
        })?;
        let url = endpoint(&provider.revoke, Endpoint::Revoke)?;
        let request = resource::build_revoke_request(url, &config.client_id, token, which)?;
        Ok(write_request(&request, Some(token), None))
    })())
}

/// RFC 7009 §2.2: 200 means revoked (or already invalid); anything else is the provider's
/// error ([`resource::process_revoke_response`]). `""` on success.
pub fn process_revoke_response(
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
) -> String {
    answer(
        resource::process_revoke_response(&http(status, content_type, www_authenticate, body))
            .map(|()| String::new()),
    )
}

/// The held tokens without the revoked one (RFC 7009 §2.2: forget it only once revoked):
/// `""` when `held` no longer holds exactly `token` as its `which` token (a renewal
/// replaced it meanwhile: the new one is left alone); else `{"remaining": stored text, or
/// "" when nothing is left, "removed": stored text holding only the removed token}`.
pub fn without_token(config: &str, held: &str, which: &str, token: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let which = read_revocable(which)?;
        let Some(mut set) = read_stored(&config, held)? else {
            return Ok(String::new());
        };
        if held_token(Some(&set), which) != Some(token) {
            return Ok(String::new());
        }
        let mut removed = StoredTokens {
            id_token: None,
            access_token: None,
            refresh_token: None,
            dpop_jkt: set.dpop_jkt.clone(),
        };
        match which {
            RevocableToken::AccessToken => removed.access_token = set.access_token.take(),
            RevocableToken::RefreshToken => removed.refresh_token = set.refresh_token.take(),
        }
        let mut o = Obj::new();
        if holds_any(&set) {
            o.str("remaining", &write_stored(&config, &set));
        } else {
            o.str("remaining", "");
        }
        o.str("removed", &write_stored(&config, &removed));
        Ok(o.end())
    })())
}

/// `signOut` options.
struct SignOutOptions {
    revoke: bool,
    local: bool,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
}

fn read_sign_out_options(text: &str) -> Result<SignOutOptions, Error> {
    let Some(o) = options_object(text, &["revoke", "postLogoutRedirectUri", "state", "local"])?
    else {
        return Ok(SignOutOptions {
            revoke: true,
            local: false,
            post_logout_redirect_uri: None,
            state: None,
        });
    };
    let flag = |key: &str, default: bool| -> Result<bool, Error> {
        member(&o, key).map_or(Ok(default), |v| {
            v.as_bool().ok_or(param(key, "must be true or false"))
        })
    };
    Ok(SignOutOptions {
        revoke: flag("revoke", true)?,
        post_logout_redirect_uri: opt_str(&o, "postLogoutRedirectUri")?,
        state: opt_str(&o, "state")?,
        local: flag("local", false)?,
    })
}

/// The app's `signOut` options (JSON; unknown names refused): `revoke` (default true:
/// revoke the refresh then the access token first), `local` (default false: only clear
/// the local tokens), `postLogoutRedirectUri` and `state`. Returns them normalized:
/// `{"revoke","local","postLogoutRedirectUri"?,"state"?}`.
pub fn sign_out_options(options: &str) -> String {
    answer(read_sign_out_options(options).map(|o| {
        let mut out = Obj::new();
        out.bool("revoke", o.revoke);
        out.bool("local", o.local);
        out.opt_str(
            "postLogoutRedirectUri",
            o.post_logout_redirect_uri.as_deref(),
        );
        out.opt_str("state", o.state.as_deref());
        out.end()
    }))
}

/// OpenID Connect RP-Initiated Logout 1.0 §2: the end-session URL
/// ([`resource::build_end_session_url`]) with the held ID token as `id_token_hint`
/// (expired or not), the options' `postLogoutRedirectUri` else the configured one, and the
/// options' `state`. `""` when the provider has no end-session endpoint.
pub fn end_session_url(config: &str, provider: &str, held: &str, options: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let provider = read_provider(provider)?;
        let held = read_stored(&config, held)?;
        let options = read_sign_out_options(options)?;
        let Some(logout) = &provider.logout else {
            return Ok(String::new());
        };
        let id_token_hint = held
            .as_ref()
            .and_then(|t| t.id_token.as_ref())
            .map(IdTokenClaims::id_token);
        resource::build_end_session_url(
            logout,
            &config.client_id,
            id_token_hint,
            options
                .post_logout_redirect_uri
                .as_deref()
                .or(config.post_logout_redirect_uri.as_deref()),
            options.state.as_deref(),
        )
    })())
}

// ---- DPoP (RFC 9449) ---------------------------------------------------------------------

/// RFC 9449 §4.2: the signing input `BASE64URL(header) "." BASE64URL(claims)` of a DPoP
/// proof ([`dpop::build_dpop_proof`]), which the shell signs with ES256
/// (`crypto.subtle.sign`) and completes with `"."` and the signature's base64url. `jwk`:
/// the public key as `exportKey('jwk')` gives it (kty, crv, x and y are used; `d` is
/// refused). `method` and `url` (absolute http(s), `new URL().href`) are the request's;
/// `nonce` the last `DPoP-Nonce` (§8, §9) or `""`; `ath` the request's `"dpop"` `ath` or
/// `""`; `random` 16 bytes for `jti`; `now` the `iat`.
pub fn dpop_proof(
    jwk: &str,
    method: &str,
    url: &str,
    nonce: &str,
    ath: &str,
    random: &[u8],
    now: f64,
) -> String {
    answer(
        now_seconds(now)
            .and_then(|now| dpop::build_dpop_proof(jwk, method, url, nonce, ath, random, now)),
    )
}

/// RFC 7638 §3: the JWK SHA-256 thumbprint (base64url) of a public key: a P-256 key, as
/// [`dpop_proof`] takes it, or an RSA one (`e`, `n`). RFC 9449's `jkt`.
pub fn dpop_jkt(jwk: &str) -> String {
    answer(dpop::jwk_thumbprint(jwk))
}

/// `"1"` when an HTTP answer asks for a (new) DPoP nonce ([`dpop::is_nonce_challenge`]:
/// the token endpoint's `400` `use_dpop_nonce`, RFC 9449 §8, or a resource's `401` with a
/// `DPoP` challenge of that error, §9), else `""`.
pub fn dpop_nonce_challenge(
    status: u32,
    content_type: &str,
    www_authenticate: &str,
    body: &[u8],
) -> String {
    let response = http(status, content_type, www_authenticate, body);
    String::from(if dpop::is_nonce_challenge(&response) {
        "1"
    } else {
        ""
    })
}

/// The app's own API call (`client.fetch`, `client.authorizationHeaders`) of `method` `url`
/// (checked as [`dpop_proof`] checks them) with the held access token:
/// `{"headers":[["Authorization","Bearer <token>"]]}` (RFC 6750 §2.1), or for a DPoP-bound
/// token `"DPoP <token>"` with `"dpop":{"jkt","ath"}` (RFC 9449 §7.1). `not_authenticated`
/// ("an access token") when none is held.
pub fn api_request(config: &str, held: &str, method: &str, url: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        let held = read_stored(&config, held)?;
        let (t, at) = held
            .as_ref()
            .and_then(|t| Some((t, t.access_token.as_ref()?)))
            .ok_or(Error::NotAuthenticated {
                missing: "an access token",
            })?;
        dpop::check_request(method, url)?;
        let (header, binding) = present(t, at)?;
        let mut o = Obj::new();
        write_headers(&mut o, &[header]);
        write_binding(&mut o, binding);
        Ok(o.end())
    })())
}

/// The thumbprint of the DPoP key the stored tokens are bound to, or `""` (none stored, or
/// bearer tokens): the key the shell must keep, and use for their requests.
pub fn dpop_bound_key(config: &str, stored: &str) -> String {
    answer((|| {
        let config = read_config(config)?;
        Ok(read_stored(&config, stored)?
            .and_then(|t| t.dpop_jkt)
            .unwrap_or_default())
    })())
}

// ---- the shell's own errors -------------------------------------------------------------

/// What a popup timeout says.
const POPUP_TIMEOUT: &str = "popup sign-in: no response from the provider within popupTimeoutMs";

/// What a silent timeout says: `prompt=none` never shows a page, so silence means the
/// response could not reach the app.
const SILENT_TIMEOUT: &str = "silent sign-in: no response from the provider within silentTimeoutMs. Likely causes: the browser blocks third-party cookies (the provider's session is not sent to the hidden iframe), the app's origin is not a trusted origin or the redirect URI is not registered with the provider, or the provider refuses to be framed (X-Frame-Options / CSP frame-ancestors)";

/// What the shell was fetching, as [`Error::Network`] and [`Error::RequestTimeout`] name it.
fn fetch_context(detail: &str) -> &'static str {
    const CONTEXTS: [&str; 6] = [
        "discovery document",
        "JWK set",
        "token endpoint",
        "userinfo endpoint",
        "introspection endpoint",
        "revocation endpoint",
    ];
    CONTEXTS
        .iter()
        .find(|c| **c == detail)
        .copied()
        .unwrap_or("the provider")
}

/// The token storage problems, as [`Error::InvalidResponse`] "token storage" names them.
fn storage_problem(detail: &str) -> Option<&'static str> {
    const PROBLEMS: [&str; 7] = [
        "is not available: no window",
        "sessionStorage is not available (blocked by the browser)",
        "localStorage is not available (blocked by the browser)",
        "the custom storage object was not given",
        "could not be read (getItem threw)",
        "getItem returned something other than a string",
        "could not be written (setItem or removeItem threw: full, or blocked)",
    ];
    PROBLEMS.iter().find(|p| **p == detail).copied()
}

/// An error of the shell's own (a browser effect that failed), with the core's codes and
/// texts, so that every `AuthError` reads the same whoever raised it. Always an error
/// text. `kind`:
///
/// - `popup_blocked`, `popup_closed`, `popup_in_progress`, `transaction_not_found`,
///   `invalid_signature` (crypto.subtle.verify answered false);
/// - `popup_timeout`, `silent_timeout` (`timeout`, with what timed out and why);
/// - `network`, `request_timeout`: `detail` is what was fetched (`"token endpoint"`, ...);
/// - `crypto`: `detail` `unavailable` (no secure context), `import`, `verify`, and for
///   DPoP `dpop_key` (the bound key is gone), `sign`, `generate`;
/// - `not_authenticated_signed_out` (a renewal whose tokens were signed out meanwhile);
/// - `storage`: `detail` is the storage problem; `invalid_event`: `detail` is the name;
/// - `invalid_url`; `navigation`: `detail` `end_session` for the sign-out navigation,
///   else the authorize one;
/// - `internal`, and any unknown kind: `detail` as the problem.
pub fn make_error(kind: &str, detail: &str) -> String {
    let internal = |problem: &str| Error::Internal {
        problem: if problem.is_empty() {
            String::from(kind)
        } else {
            problem.to_owned()
        },
    };
    let e = match kind {
        "popup_blocked" => Error::PopupBlocked,
        "no_page" => Error::NoPage,
        "popup_closed" => Error::PopupClosed,
        "popup_in_progress" => Error::PopupInProgress,
        "transaction_not_found" => Error::TransactionNotFound,
        "invalid_signature" => Error::InvalidSignature,
        "popup_timeout" => Error::Timeout {
            what: POPUP_TIMEOUT,
        },
        "silent_timeout" => Error::Timeout {
            what: SILENT_TIMEOUT,
        },
        "network" => Error::Network {
            context: fetch_context(detail),
        },
        "request_timeout" => Error::RequestTimeout {
            context: fetch_context(detail),
        },
        "crypto" => Error::Crypto {
            problem: match detail {
                "unavailable" => "crypto.subtle is unavailable: WebCrypto needs a secure context (https or localhost)",
                "import" => "WebCrypto refused to import the RSA key",
                "verify" => "WebCrypto could not run the RS256 verification",
                "dpop_key" => "the DPoP key that the tokens held are bound to is gone (site data cleared, or IndexedDB unavailable): sign in again",
                "sign" => "crypto.subtle.sign failed (the DPoP proof)",
                "generate" => "ECDSA P-256 key generation failed, or WebCrypto lacks it (DPoP)",
                _ => "could not build the WebCrypto arguments",
            },
        },
        "not_authenticated_signed_out" => Error::NotAuthenticated {
            missing: "the tokens being renewed (the user signed out meanwhile)",
        },
        "storage" => match storage_problem(detail) {
            Some(problem) => Error::InvalidResponse {
                context: "token storage",
                problem,
            },
            None => internal(detail),
        },
        "invalid_event" => param(
            detail,
            "is not an event: added, renewed, expired, removed or error",
        ),
        "invalid_url" => param("url", "is not a URL"),
        "navigation" => match detail {
            "end_session" => param("end_session_endpoint", "could not be navigated to"),
            _ => Error::Internal {
                problem: "the browser refused to navigate to the authorize URL".into(),
            },
        },
        _ => internal(detail),
    };
    error_text(&e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::base64url;
    use crate::protocol::jwt::unsigned_token_for_tests;
    use crate::protocol::testing::{mutations, random_inputs};
    use serde_json::{json, Value as J};

    const ISSUER: &str = "https://dev-1.okta.com/oauth2/default";
    const CLIENT: &str = "0oa1spa";
    const APP: &str = "https://app.example";
    const NOW: f64 = 1_700_000_000.0;

    fn ok(text: String) -> String {
        assert!(!text.starts_with(SEP), "unexpected error: {text:?}");
        text
    }

    /// The error's fields: code, message, description, oauthError.
    fn err(text: String) -> Vec<String> {
        assert!(text.starts_with(SEP), "expected an error, got {text:?}");
        text[1..].split(SEP).map(str::to_owned).collect()
    }

    fn code(text: String) -> String {
        err(text)[0].clone()
    }

    fn js(text: &str) -> J {
        serde_json::from_str(text).unwrap()
    }

    fn config_with(extra: J) -> String {
        let mut input = json!({
            "issuer": ISSUER,
            "clientId": CLIENT,
            "redirectUri": "https://app.example/callback",
        });
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        ok(configure(&input.to_string()))
    }

    fn config() -> String {
        config_with(json!({}))
    }

    fn provider(config: &str) -> String {
        ok(provider_from_config(config))
    }

    fn random() -> Vec<u8> {
        (0..authorize_random_length()).map(|i| i as u8).collect()
    }

    fn id_token(sub: &str, nonce: Option<&str>, exp: i64) -> String {
        let mut claims = json!({
            "iss": ISSUER, "aud": CLIENT, "sub": sub,
            "iat": NOW as i64 - 10, "exp": exp,
        });
        if let Some(n) = nonce {
            claims["nonce"] = json!(n);
        }
        unsigned_token_for_tests(r#"{"alg":"RS256","kid":"k1"}"#, &claims.to_string())
    }

    /// A sign-in's authorize request, with `flow` and `options`.
    fn authorize(config: &str, options: J, flow: &str) -> J {
        js(&ok(build_authorize_request(
            config,
            &provider(config),
            &options.to_string(),
            flow,
            &random(),
            APP,
            NOW,
            "",
        )))
    }

    fn token_body(body: J) -> String {
        ok(process_token_response(
            200,
            "application/json",
            "",
            body.to_string().as_bytes(),
            "",
        ))
    }

    /// A stored text holding an ID token of `sub` expiring at `exp`, an access token and
    /// (optionally) a refresh token.
    fn stored_tokens(config: &str, sub: &str, exp: i64, refresh: Option<&str>) -> String {
        let mut v = json!({
            "version": 1, "issuer": ISSUER, "clientId": CLIENT,
            "idToken": id_token(sub, None, exp),
            "accessToken": {"value": "at-1", "expiresAt": exp, "scopes": ["openid"], "tokenType": "Bearer"},
        });
        if let Some(rt) = refresh {
            v["refreshToken"] = json!(rt);
        }
        ok(parse_stored(config, &v.to_string()))
    }

    // ---- the boundary ----

    #[test]
    fn error_text_is_code_message_description_then_oauth_error() {
        let fields = err(make_error("popup_closed", ""));
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0], "popup_closed");
        assert_eq!(fields[1], Error::PopupClosed.message());
        assert_eq!(fields[2], Error::PopupClosed.description());
        let provider_error = error_text(&Error::Provider {
            error: "login_required".into(),
            description: Some("no session".into()),
        });
        let fields = err(provider_error);
        assert_eq!(fields[0], "login_required");
        assert_eq!(fields[3], "login_required");
    }

    #[test]
    fn refuses_a_clock_that_is_not_a_finite_number() {
        let c = config();
        for now in [f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300] {
            let e = err(transaction_status(&c, "", "", now));
            assert_eq!(e[0], "invalid_parameter");
            assert!(e[1].contains("now"), "{e:?}");
        }
        assert_eq!(seconds(1.9, "now"), Ok(1));
    }

    #[test]
    fn make_error_gives_the_core_codes_and_texts() {
        let cases = [
            ("popup_blocked", "", "popup_blocked"),
            ("no_page", "", "no_page"),
            ("popup_in_progress", "", "popup_in_progress"),
            ("transaction_not_found", "", "transaction_not_found"),
            ("invalid_signature", "", "invalid_signature"),
            ("popup_timeout", "", "timeout"),
            ("silent_timeout", "", "timeout"),
            ("network", "token endpoint", "network_error"),
            ("request_timeout", "JWK set", "timeout"),
            ("crypto", "unavailable", "crypto_error"),
            ("not_authenticated_signed_out", "", "not_authenticated"),
            (
                "storage",
                "could not be read (getItem threw)",
                "invalid_response",
            ),
            ("invalid_event", "clicked", "invalid_parameter"),
            ("invalid_url", "", "invalid_parameter"),
            ("navigation", "end_session", "invalid_parameter"),
            ("navigation", "authorize", "internal"),
            ("internal", "boom", "internal"),
            ("no_such_kind", "", "internal"),
        ];
        for (kind, detail, expected) in cases {
            assert_eq!(code(make_error(kind, detail)), expected, "{kind} {detail}");
        }
        let silent = err(make_error("silent_timeout", ""));
        assert!(silent[2].contains("third-party cookies"), "{silent:?}");
        let network = err(make_error("network", "token endpoint"));
        assert!(network[2].contains("token endpoint"), "{network:?}");
        let unknown = err(make_error("network", "somewhere"));
        assert!(unknown[2].contains("the provider"), "{unknown:?}");
        assert!(err(make_error("invalid_event", "clicked"))[2].contains("clicked"));
        assert!(err(make_error("crypto", "import"))[2].contains("import"));
    }

    // ---- configuration ----

    #[test]
    fn configure_normalizes_and_round_trips() {
        let c = config();
        let v = js(&c);
        assert_eq!(v["issuer"], ISSUER);
        assert_eq!(v["scopes"], json!(["openid", "profile", "email"]));
        assert_eq!(v["responseType"], "code");
        assert_eq!(v["storage"], "memory");
        assert_eq!(v["clockSkewSeconds"], 300);
        assert_eq!(v["expireEarlySeconds"], 30);
        assert_eq!(v["popupTimeoutMs"], 120000);
        assert_eq!(v["silentTimeoutMs"], 10000);
        assert_eq!(v["httpTimeoutMs"], 30000);
        assert_eq!(v["popupResponseMode"], "okta_post_message");
        assert_eq!(v["endpoints"], json!({}));
        assert_eq!(v["autoRenew"], true);
        assert!(v.get("postLogoutRedirectUri").is_none());
        assert_eq!(configure(&c), c);
        assert_eq!(
            read_config(&c).unwrap(),
            read_config(&configure(&c)).unwrap()
        );
    }

    #[test]
    fn configure_keeps_a_custom_storage_object_as_custom() {
        let c = config_with(json!({
            "storage": {"getItem": true, "setItem": true, "removeItem": true},
            "endpoints": {"token": "https://dev-1.okta.com/t", "logout": null},
            "postLogoutRedirectUri": "https://app.example/bye",
            "clockSkewSeconds": 60,
            "autoRenew": false,
        }));
        let v = js(&c);
        assert_eq!(v["storage"], "custom");
        assert_eq!(v["endpoints"], json!({"token": "https://dev-1.okta.com/t"}));
        assert_eq!(v["clockSkewSeconds"], 60);
        assert_eq!(read_config(&c).unwrap().storage, StorageKind::Custom);
        // "custom" is the normalized form only: the app cannot write it.
        assert_eq!(code(configure(&c)), "invalid_config");
    }

    #[test]
    fn configure_refuses_what_the_facade_refuses() {
        let base =
            json!({"issuer": ISSUER, "clientId": CLIENT, "redirectUri": "https://app.example/cb"});
        let with = |k: &str, v: J| {
            let mut i = base.clone();
            i[k] = v;
            err(configure(&i.to_string()))
        };
        assert_eq!(err(configure("[]"))[0], "invalid_config");
        assert_eq!(err(configure("not json"))[0], "invalid_config");
        let e = with("clientID", json!("x"));
        assert_eq!(e[0], "invalid_config");
        assert!(e[2].contains("clientID"), "{e:?}");
        assert_eq!(with("clientSecret", json!("s"))[0], "not_for_browsers");
        let e = with("clockSkewSeconds", json!("NaN"));
        assert!(e[2].contains("must be a number"), "{e:?}");
        let e = with("clockSkewSeconds", json!(1.5));
        assert!(
            e[2].contains("whole number of seconds from 0 to 600"),
            "{e:?}"
        );
        let e = with("clockSkewSeconds", json!(601));
        assert!(e[2].contains("from 0 to 600"), "{e:?}");
        let e = with(
            "storage",
            json!({"getItem": true, "setItem": false, "removeItem": true}),
        );
        assert!(e[2].contains("getItem, setItem and removeItem"), "{e:?}");
        let e = with("scopes", json!("openid"));
        assert!(e[2].contains("array of strings"), "{e:?}");
        let e = with("autoRenew", json!("yes"));
        assert!(e[2].contains("true or false"), "{e:?}");
        let e = with("endpoints", json!("https://x"));
        assert!(e[2].contains("object of URLs"), "{e:?}");
        let e = with("issuer", J::Null);
        assert!(
            e[2].contains("issuer") && e[2].contains("required"),
            "{e:?}"
        );
        let e = with("issuer", json!(42));
        assert!(e[2].contains("must be a string"), "{e:?}");
    }

    // ---- the provider ----

    #[test]
    fn provider_from_config_derives_okta_endpoints_or_asks_for_discovery() {
        let p = js(&provider(&config()));
        assert_eq!(p["authorize"], format!("{ISSUER}/v1/authorize"));
        assert_eq!(p["keys"], format!("{ISSUER}/v1/keys"));
        assert_eq!(p["logout"], format!("{ISSUER}/v1/logout"));
        assert_eq!(p["issRequired"], false);
        assert_eq!(p["algs"], "RS256");
        let other = ok(configure(
            &json!({"issuer": "https://idp.example", "clientId": CLIENT, "redirectUri": "https://app.example/cb"})
                .to_string(),
        ));
        assert_eq!(ok(provider_from_config(&other)), "");
        assert_eq!(
            ok(discovery_url(&other)),
            "https://idp.example/.well-known/openid-configuration"
        );
    }

    fn discovery_doc(extra: J) -> Vec<u8> {
        let mut d = json!({
            "issuer": "https://idp.example",
            "authorization_endpoint": "https://idp.example/authorize",
            "token_endpoint": "https://idp.example/token",
            "jwks_uri": "https://idp.example/jwks",
        });
        for (k, v) in extra.as_object().unwrap() {
            d[k] = v.clone();
        }
        d.to_string().into_bytes()
    }

    #[test]
    fn process_discovery_response_reads_iss_requirement_and_algs() {
        let c = ok(configure(
            &json!({"issuer": "https://idp.example", "clientId": CLIENT, "redirectUri": "https://app.example/cb"})
                .to_string(),
        ));
        let p = js(&ok(process_discovery_response(
            &c,
            200,
            "application/json; charset=utf-8",
            &discovery_doc(json!({
                "authorization_response_iss_parameter_supported": true,
                "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            })),
        )));
        assert_eq!(p["issRequired"], true);
        assert_eq!(p["algs"], "RS256");
        assert_eq!(p["token"], "https://idp.example/token");
        assert!(p.get("userinfo").is_none());
        let p = js(&ok(process_discovery_response(
            &c,
            200,
            "application/json",
            &discovery_doc(json!({"id_token_signing_alg_values_supported": ["ES256"]})),
        )));
        assert_eq!(p["algs"], "");
        assert_eq!(p["issRequired"], false);
        let e = err(process_discovery_response(
            &c,
            200,
            "text/html",
            &discovery_doc(json!({})),
        ));
        assert_eq!(e[0], "invalid_response");
        assert_eq!(
            code(process_discovery_response(&c, 404, "text/html", b"")),
            "unexpected_status"
        );
        let e = err(process_discovery_response(
            &c,
            200,
            "application/json",
            &discovery_doc(json!({"issuer": "https://evil.example"})),
        ));
        assert_eq!(e[0], "issuer_mismatch");
    }

    // ---- sign-in ----

    #[test]
    fn redirect_sign_in_round_trips_through_its_transaction() {
        let c = config();
        let p = provider(&c);
        let r = authorize(&c, json!({"appState": "{\"to\":\"/x\"}"}), "redirect");
        let state = r["state"].as_str().unwrap();
        let tx = r["transaction"].as_str().unwrap();
        assert!(r["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{ISSUER}/v1/authorize?")));
        assert!(r.get("origin").is_none());
        assert!(r["codeVerifier"].is_string());
        assert_eq!(ok(transaction_app_state(tx)), "{\"to\":\"/x\"}");

        assert_eq!(ok(transaction_status(&c, tx, state, NOW)), "live");
        assert_eq!(ok(transaction_status(&c, tx, "", NOW + 599.0)), "live");
        assert_eq!(
            ok(transaction_status(&c, tx, state, NOW + 601.0)),
            "expired"
        );
        assert_eq!(ok(transaction_status(&c, tx, "another", NOW)), "corrupt");
        assert_eq!(ok(transaction_status(&c, "v=2&x", state, NOW)), "corrupt");
        let other = config_with(json!({"clientId": "other"}));
        assert_eq!(ok(transaction_status(&other, tx, state, NOW)), "foreign");

        let search = format!("?code=abc&state={state}&keep=1");
        assert_eq!(ok(is_redirect_callback(&search, "")), "1");
        assert_eq!(ok(is_redirect_callback("?keep=1", "#x")), "0");
        assert_eq!(js(&ok(redirect_states(&search, ""))), json!([state]));
        assert_eq!(
            js(&ok(cleaned_location(tx, &search, "#top"))),
            json!({"search": "?keep=1", "hash": "#top"})
        );

        let validated = ok(validate_redirect_response(&c, &p, tx, &search, ""));
        assert_eq!(js(&validated), json!({"state": state, "code": "abc"}));
        assert_eq!(ok(front_id_token_expect(&c, tx, &validated)), "");
        let request = js(&ok(code_exchange_request(&c, &p, tx, &validated)));
        assert_eq!(request["method"], "POST");
        assert_eq!(request["url"], format!("{ISSUER}/v1/token"));
        assert_eq!(
            request["headers"][0],
            json!(["Content-Type", "application/x-www-form-urlencoded"])
        );
        let body = request["body"].as_str().unwrap();
        assert!(
            body.starts_with("grant_type=authorization_code&code=abc&"),
            "{body}"
        );
        assert!(body.contains(&format!(
            "code_verifier={}",
            r["codeVerifier"].as_str().unwrap()
        )));

        // Another client cannot use this transaction.
        assert_eq!(
            code(validate_redirect_response(&other, &p, tx, &search, "")),
            "transaction_not_found"
        );
        // A forged response with another state.
        assert_eq!(
            code(validate_redirect_response(
                &c,
                &p,
                tx,
                "?code=abc&state=forged",
                ""
            )),
            "state_mismatch"
        );
    }

    #[test]
    fn requires_iss_when_discovery_says_so() {
        let c = ok(configure(
            &json!({"issuer": "https://idp.example", "clientId": CLIENT, "redirectUri": "https://app.example/cb"})
                .to_string(),
        ));
        let p = ok(process_discovery_response(
            &c,
            200,
            "application/json",
            &discovery_doc(json!({"authorization_response_iss_parameter_supported": true})),
        ));
        let r = js(&ok(build_authorize_request(
            &c,
            &p,
            "",
            "redirect",
            &random(),
            APP,
            NOW,
            "",
        )));
        let tx = r["transaction"].as_str().unwrap();
        let state = r["state"].as_str().unwrap();
        let e = err(validate_redirect_response(
            &c,
            &p,
            tx,
            &format!("?code=a&state={state}"),
            "",
        ));
        assert_eq!(e[0], "missing_parameter");
        let search = format!("?code=a&state={state}&iss=https%3A%2F%2Fidp.example");
        ok(validate_redirect_response(&c, &p, tx, &search, ""));
    }

    #[test]
    fn build_authorize_request_applies_each_flows_rules() {
        let c = config();
        let p = provider(&c);
        let call = |options: J, flow: &str, random: &[u8], origin: &str| {
            build_authorize_request(&c, &p, &options.to_string(), flow, random, origin, NOW, "")
        };
        let e = err(call(
            json!({"responseMode": "okta_post_message"}),
            "redirect",
            &random(),
            APP,
        ));
        assert!(e[2].contains("must be query or fragment"), "{e:?}");
        let e = err(call(
            json!({"responseMode": "form_post"}),
            "redirect",
            &random(),
            APP,
        ));
        assert!(e[2].contains("form_post"), "{e:?}");
        // buildAuthorizeUrl builds any mode: the app reads the response itself.
        ok(call(
            json!({"responseMode": "form_post"}),
            "url",
            &random(),
            APP,
        ));
        assert_eq!(code(call(json!({}), "redirect", &[0; 3], APP)), "internal");
        assert_eq!(
            code(call(json!({}), "sideways", &random(), APP)),
            "invalid_parameter"
        );
        let e = err(call(json!({"colour": "red"}), "redirect", &random(), APP));
        assert!(e[2].contains("colour"), "{e:?}");
        let e = err(call(json!({"maxAge": -1}), "redirect", &random(), APP));
        assert!(e[2].contains("maxAge"), "{e:?}");

        let popup = js(&ok(call(json!({}), "popup", &random(), APP)));
        assert_eq!(popup["origin"], "https://dev-1.okta.com");
        assert!(popup["url"]
            .as_str()
            .unwrap()
            .contains("response_mode=okta_post_message"));
        let silent = js(&ok(call(
            json!({"popupResponseMode": "web_message"}),
            "silent",
            &random(),
            APP,
        )));
        assert!(silent["url"].as_str().unwrap().contains("prompt=none"));
        assert!(silent["url"]
            .as_str()
            .unwrap()
            .contains("response_mode=web_message"));
        let callback = js(&ok(call(
            json!({"popupResponseMode": "callback"}),
            "popup",
            &random(),
            APP,
        )));
        assert_eq!(callback["origin"], APP);
        let e = err(call(
            json!({"popupResponseMode": "callback"}),
            "popup",
            &random(),
            "https://elsewhere.example",
        ));
        assert!(e[1].contains("redirectUri"), "{e:?}");
        // Popups keep no app state: only a redirect hands it back.
        let popup = js(&ok(call(json!({"appState": "1"}), "popup", &random(), APP)));
        assert_eq!(
            ok(transaction_app_state(
                popup["transaction"].as_str().unwrap()
            )),
            ""
        );
    }

    #[test]
    fn origin_of_lowercases_and_drops_default_ports() {
        assert_eq!(
            origin_of("HTTPS://Dev-1.Okta.com:443/x").unwrap(),
            "https://dev-1.okta.com"
        );
        assert_eq!(
            origin_of("http://localhost:80/").unwrap(),
            "http://localhost"
        );
        assert_eq!(
            origin_of("http://localhost:8080/").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(
            origin_of("https://a.example:8443").unwrap(),
            "https://a.example:8443"
        );
        assert!(origin_of("/relative").is_err());
    }

    #[test]
    fn validate_message_ignores_other_answers_and_judges_ours() {
        let c = config();
        let p = provider(&c);
        let r = authorize(&c, json!({}), "popup");
        let tx = r["transaction"].as_str().unwrap();
        let state = r["state"].as_str().unwrap();
        assert_eq!(ok(validate_message(&c, &p, tx, "not json")), "");
        assert_eq!(ok(validate_message(&c, &p, tx, "\"text\"")), "");
        assert_eq!(
            ok(validate_message(
                &c,
                &p,
                tx,
                &json!({"code": "c", "state": "other"}).to_string()
            )),
            ""
        );
        assert_eq!(
            ok(validate_message(
                &c,
                &p,
                tx,
                &json!({"code": "c"}).to_string()
            )),
            ""
        );
        let e = err(validate_message(
            &c,
            &p,
            tx,
            &json!({"error": "login_required", "error_description": "no session", "state": state})
                .to_string(),
        ));
        assert_eq!(e[0], "login_required");
        assert_eq!(e[3], "login_required");
        let v = ok(validate_message(
            &c,
            &p,
            tx,
            &json!({"code": "c", "state": state, "session_state": null}).to_string(),
        ));
        assert_eq!(js(&v), json!({"state": state, "code": "c"}));
        // A message answer is never read from the address bar.
        assert_eq!(
            code(validate_redirect_response(
                &c,
                &p,
                tx,
                &format!("?code=c&state={state}"),
                ""
            )),
            "transaction_not_found"
        );
    }

    #[test]
    fn validate_message_reads_the_callback_page_shape() {
        let c = config_with(json!({"popupResponseMode": "callback"}));
        let p = provider(&c);
        let r = authorize(&c, json!({}), "popup");
        let tx = r["transaction"].as_str().unwrap();
        let state = r["state"].as_str().unwrap();
        let data = json!({"type": "okta-auth-wasm:callback", "search": format!("?code=c&state={state}"), "hash": ""});
        assert_eq!(
            js(&ok(validate_message(&c, &p, tx, &data.to_string())))["code"],
            "c"
        );
        let data = json!({"type": "other", "search": format!("?code=c&state={state}")});
        assert_eq!(ok(validate_message(&c, &p, tx, &data.to_string())), "");
    }

    /// A code-flow sign-in up to the token response: config, transaction, validated
    /// response, the ID token the token endpoint sent, and the processed answer.
    fn code_sign_in(c: &str, sub: &str) -> (String, String, String, String) {
        let p = provider(c);
        let r = authorize(c, json!({}), "redirect");
        let tx = r["transaction"].as_str().unwrap().to_owned();
        let state = r["state"].as_str().unwrap();
        let nonce = r["nonce"].as_str().unwrap();
        let validated = ok(validate_redirect_response(
            c,
            &p,
            &tx,
            &format!("?code=abc&state={state}"),
            "",
        ));
        let token = id_token(sub, Some(nonce), NOW as i64 + 3600);
        let answer = token_body(json!({
            "access_token": "at-1", "token_type": "Bearer", "expires_in": 3600,
            "scope": "openid profile", "refresh_token": "rt-1", "id_token": token,
        }));
        (tx, validated, token, answer)
    }

    #[test]
    fn completes_a_code_sign_in_after_the_id_token_passed() {
        let c = config();
        let (tx, validated, token, answer) = code_sign_in(&c, "alice");
        let expect = ok(back_id_token_expect(&c, &tx, &answer));
        assert_eq!(js(&expect)["token"], token.as_str());
        let claims = js(&ok(validate_id_token(&token, &expect, NOW)));
        assert_eq!(claims["sub"], "alice");
        // Expectations are for their token only.
        let other = id_token("alice", None, NOW as i64 + 3600);
        let e = err(validate_id_token(&other, &expect, NOW));
        assert_eq!(e[0], "invalid_parameter");
        // The nonce is checked.
        let r2 = authorize(&c, json!({"nonce": "another-nonce"}), "redirect");
        let tx2 = r2["transaction"].as_str().unwrap();
        let expect2 = ok(back_id_token_expect(&c, tx2, &answer));
        assert_eq!(
            code(validate_id_token(&token, &expect2, NOW)),
            "nonce_mismatch"
        );
        // And the clock.
        assert_eq!(
            code(validate_id_token(&token, &expect, NOW + 7200.0)),
            "expired"
        );

        let stored = ok(complete_sign_in(&c, &tx, &validated, &answer, "", NOW));
        let view = js(&ok(tokens_view(&c, &stored)));
        assert_eq!(view["idToken"]["value"], token.as_str());
        assert_eq!(view["idToken"]["claims"]["sub"], "alice");
        assert_eq!(view["idToken"]["expiresAt"], NOW as i64 + 3600);
        assert_eq!(view["idToken"]["issuer"], ISSUER);
        assert_eq!(view["idToken"]["clientId"], CLIENT);
        assert_eq!(
            view["accessToken"],
            json!({"value": "at-1", "expiresAt": NOW as i64 + 3600, "scopes": ["openid", "profile"], "tokenType": "Bearer"})
        );
        assert_eq!(view["refreshToken"], json!({"value": "rt-1"}));
        assert_eq!(ok(tokens_view(&c, "")), "{}");

        // A code without its exchange cannot complete.
        assert_eq!(
            code(complete_sign_in(&c, &tx, &validated, "", "", NOW)),
            "internal"
        );
    }

    #[test]
    fn refuses_a_silent_renewal_that_signed_in_another_user() {
        let c = config();
        let (tx, validated, _, answer) = code_sign_in(&c, "mallory");
        let held = stored_tokens(&c, "alice", NOW as i64 + 100, None);
        let e = err(complete_sign_in(&c, &tx, &validated, &answer, &held, NOW));
        assert_eq!(e[0], "sub_mismatch");
        let same = stored_tokens(&c, "mallory", NOW as i64 + 100, None);
        ok(complete_sign_in(&c, &tx, &validated, &answer, &same, NOW));
    }

    #[test]
    fn refuses_a_sign_in_without_the_id_token_it_asked_for() {
        let c = config();
        let (tx, validated, _, _) = code_sign_in(&c, "alice");
        let answer = token_body(json!({"access_token": "at", "token_type": "Bearer"}));
        let e = err(complete_sign_in(&c, &tx, &validated, &answer, "", NOW));
        assert_eq!(e[0], "missing_parameter");
    }

    #[test]
    fn implicit_sign_in_expects_the_front_channel_id_token() {
        let c = config_with(json!({"responseType": "id_token token"}));
        let p = provider(&c);
        let r = authorize(&c, json!({}), "redirect");
        let tx = r["transaction"].as_str().unwrap();
        let state = r["state"].as_str().unwrap();
        let token = id_token("alice", Some(r["nonce"].as_str().unwrap()), NOW as i64 + 60);
        let hash = format!(
            "#id_token={token}&access_token=at&token_type=bearer&expires_in=60&state={state}"
        );
        let validated = ok(validate_redirect_response(&c, &p, tx, "", &hash));
        assert_eq!(
            js(&ok(cleaned_location(tx, "?a=1", &hash))),
            json!({"search": "?a=1", "hash": ""})
        );
        let expect = js(&ok(front_id_token_expect(&c, tx, &validated)));
        assert_eq!(expect["source"], "authorization");
        assert_eq!(expect["accessToken"], "at");
        assert_eq!(ok(code_exchange_request(&c, &p, tx, &validated)), "");
        // The token has no at_hash although an access token came with it.
        assert_eq!(
            code(validate_id_token(&token, &expect.to_string(), NOW)),
            "invalid_claim"
        );
        let stored = ok(complete_sign_in(&c, tx, &validated, "", "", NOW));
        let view = js(&ok(tokens_view(&c, &stored)));
        assert_eq!(view["accessToken"]["expiresAt"], NOW as i64 + 60);
        assert_eq!(view["accessToken"]["tokenType"], "bearer");
        assert!(view.get("refreshToken").is_none());
    }

    // ---- refresh ----

    #[test]
    fn complete_refresh_keeps_or_drops_the_held_id_token() {
        let c = config();
        let answer =
            token_body(json!({"access_token": "at-2", "token_type": "Bearer", "expires_in": 600}));
        // Held ID token valid for an hour: kept; refresh token kept as none came back.
        let held = stored_tokens(&c, "alice", NOW as i64 + 3600, Some("rt-1"));
        let view = js(&ok(tokens_view(
            &c,
            &ok(complete_refresh(&c, &held, &answer, NOW)),
        )));
        assert_eq!(view["idToken"]["claims"]["sub"], "alice");
        assert_eq!(view["accessToken"]["value"], "at-2");
        assert_eq!(view["accessToken"]["scopes"], json!(["openid"]));
        assert_eq!(view["refreshToken"]["value"], "rt-1");
        // Held ID token within expireEarlySeconds: dropped.
        let held = stored_tokens(&c, "alice", NOW as i64 + 10, Some("rt-1"));
        let view = js(&ok(tokens_view(
            &c,
            &ok(complete_refresh(&c, &held, &answer, NOW)),
        )));
        assert!(view.get("idToken").is_none());
        // A rotated refresh token replaces the held one.
        let rotated = token_body(
            json!({"access_token": "at-3", "token_type": "Bearer", "refresh_token": "rt-2"}),
        );
        let view = js(&ok(tokens_view(
            &c,
            &ok(complete_refresh(&c, &held, &rotated, NOW)),
        )));
        assert_eq!(view["refreshToken"]["value"], "rt-2");
        assert!(view["accessToken"].get("expiresAt").is_none());
    }

    #[test]
    fn refresh_request_and_id_token_expectations() {
        let c = config();
        let p = provider(&c);
        let held = stored_tokens(&c, "alice", NOW as i64 + 3600, Some("rt-1"));
        let request = js(&ok(refresh_request(&c, &p, &held)));
        assert_eq!(
            request["body"],
            format!("grant_type=refresh_token&refresh_token=rt-1&client_id={CLIENT}")
        );
        let none = stored_tokens(&c, "alice", NOW as i64 + 3600, None);
        let e = err(refresh_request(&c, &p, &none));
        assert_eq!(e[0], "not_authenticated");
        assert!(e[2].contains("a refresh token"), "{e:?}");

        let new_token = id_token("alice", None, NOW as i64 + 7200);
        let answer = token_body(
            json!({"access_token": "at", "token_type": "Bearer", "id_token": new_token}),
        );
        let expect = ok(refresh_id_token_expect(&c, &held, &answer));
        assert_eq!(js(&expect)["source"], "refresh");
        ok(validate_id_token(&new_token, &expect, NOW));
        let bob = id_token("bob", None, NOW as i64 + 7200);
        let answer_bob =
            token_body(json!({"access_token": "at", "token_type": "Bearer", "id_token": bob}));
        let expect_bob = ok(refresh_id_token_expect(&c, &held, &answer_bob));
        assert_eq!(
            code(validate_id_token(&bob, &expect_bob, NOW)),
            "invalid_claim"
        );
        let no_id = token_body(json!({"access_token": "at", "token_type": "Bearer"}));
        assert_eq!(ok(refresh_id_token_expect(&c, &held, &no_id)), "");
        let only_rt = ok(parse_stored(
            &c,
            &json!({"version": 1, "issuer": ISSUER, "clientId": CLIENT, "refreshToken": "rt"})
                .to_string(),
        ));
        let expect = js(&ok(refresh_id_token_expect(&c, &only_rt, &answer)));
        assert_eq!(expect["source"], "token");
        assert_eq!(expect["nonceCheck"], "skip");
    }

    #[test]
    fn invalid_grant_adopts_only_another_tabs_fresh_tokens() {
        let c = config();
        let sent = stored_tokens(&c, "alice", NOW as i64 + 3600, Some("rt-1"));
        let rotated = stored_tokens(&c, "alice", NOW as i64 + 3600, Some("rt-2"));
        let stale = stored_tokens(&c, "alice", NOW as i64 + 5, Some("rt-2"));
        assert_eq!(
            ok(invalid_grant_outcome(&c, &sent, &rotated, NOW)),
            "current"
        );
        assert_eq!(ok(invalid_grant_outcome(&c, &sent, &sent, NOW)), "expired");
        assert_eq!(ok(invalid_grant_outcome(&c, &sent, &stale, NOW)), "expired");
        assert_eq!(ok(invalid_grant_outcome(&c, &sent, "", NOW)), "expired");
    }

    #[test]
    fn process_token_response_output_is_accepted_again() {
        let answer =
            token_body(json!({"access_token": "a", "token_type": "bearer", "expires_in": "60"}));
        assert_eq!(
            js(&answer),
            json!({"access_token": "a", "token_type": "bearer", "expires_in": 60})
        );
        assert_eq!(token_body(js(&answer)), answer);
        let e = err(process_token_response(
            400,
            "application/json",
            "",
            br#"{"error":"invalid_grant","error_description":"revoked"}"#,
            "",
        ));
        assert_eq!(
            (e[0].as_str(), e[3].as_str()),
            ("invalid_grant", "invalid_grant")
        );
    }

    // ---- keys ----

    fn modulus(bits: usize) -> String {
        let mut n = vec![0xa5u8; bits.div_ceil(8)];
        n[0] = 1 << ((bits - 1) % 8);
        if let Some(last) = n.last_mut() {
            *last |= 1;
        }
        base64url::encode(&n)
    }

    #[test]
    fn jws_key_selects_the_key_for_the_header() {
        let n = modulus(2048);
        let set = json!({"keys": [
            {"kty": "RSA", "kid": "k0", "n": modulus(2048), "e": "AQAB"},
            {"kty": "RSA", "kid": "k1", "n": n, "e": "AQAB"},
        ]})
        .to_string();
        let token = id_token("alice", None, NOW as i64);
        assert_eq!(
            js(&ok(jws_key(&token, "RS256", &set))),
            json!({"kid": "k1", "n": n, "e": "AQAB"})
        );
        assert_eq!(code(jws_key(&token, "", &set)), "unsupported_alg");
        let missing = unsigned_token_for_tests(r#"{"alg":"RS256","kid":"k9"}"#, "{}");
        assert_eq!(code(jws_key(&missing, "RS256", &set)), "key_not_found");
        let hs = unsigned_token_for_tests(r#"{"alg":"HS256"}"#, "{}");
        assert_eq!(code(jws_key(&hs, "RS256,HS256", &set)), "unsupported_alg");
        let body = set.as_bytes();
        assert_eq!(
            ok(process_jwks_response(
                200,
                "application/jwk-set+json",
                "",
                body
            )),
            set
        );
        assert_eq!(
            code(process_jwks_response(200, "text/html", "", body)),
            "invalid_response"
        );
        assert_eq!(
            code(process_jwks_response(500, "", "", b"")),
            "unexpected_status"
        );
    }

    #[test]
    fn jwks_action_follows_the_cache_policy() {
        let now = NOW;
        assert_eq!(ok(jwks_action(-1.0, -1.0, now, 0)), "fetch");
        assert_eq!(ok(jwks_action(now - 600.0, -1.0, now, 0)), "fetch");
        assert_eq!(ok(jwks_action(now - 599.0, -1.0, now, 0)), "use");
        assert_eq!(ok(jwks_action(now - 10.0, -1.0, now, 1)), "refetch");
        assert_eq!(ok(jwks_action(now - 10.0, now - 60.0, now, 1)), "refetch");
        assert_eq!(ok(jwks_action(now - 10.0, now - 59.0, now, 1)), "use");
        assert_eq!(ok(jwks_action(now - 10.0, now + 60.0, now, 1)), "refetch");
        assert_eq!(
            code(jwks_action(0.0, 0.0, f64::NAN, 0)),
            "invalid_parameter"
        );
    }

    /// jws_parts' answer as text, for an error.
    fn parts_error(answer: Vec<u8>) -> String {
        assert_eq!(answer.first(), Some(&1), "not an error: {answer:?}");
        String::from_utf8(answer).unwrap()
    }

    /// jws_parts' answer: the signature and the signing input.
    fn parts(answer: Vec<u8>) -> (Vec<u8>, Vec<u8>) {
        assert_eq!(
            answer.first(),
            Some(&0),
            "{}",
            String::from_utf8_lossy(&answer)
        );
        let n = u32::from_le_bytes(answer[1..5].try_into().unwrap()) as usize;
        (answer[5..5 + n].to_vec(), answer[5 + n..].to_vec())
    }

    #[test]
    fn jws_parts_are_the_signature_and_the_signing_input() {
        let token = id_token("alice", Some("n"), NOW as i64 + 60);
        let (signature, input) = parts(jws_parts(&token, "RS256"));
        assert_eq!(signature, b"not a signature");
        assert_eq!(input, &token.as_bytes()[..token.rfind('.').unwrap()]);
        // RFC 7515 A.2: the signing input is the bytes received, the signature its 256 bytes.
        let v: J =
            serde_json::from_str(include_str!("../tests/vectors/rfc7515-a2-rs256.json")).unwrap();
        let compact = v["compact"].as_str().unwrap();
        let (signature, input) = parts(jws_parts(compact, "RS256"));
        assert_eq!(signature.len(), 256);
        assert_eq!(input, &compact.as_bytes()[..compact.rfind('.').unwrap()]);
    }

    #[test]
    fn jws_parts_refuses_what_jws_key_refuses_before_any_key_set() {
        let token = id_token("alice", Some("n"), NOW as i64 + 60);
        assert_eq!(
            code(parts_error(jws_parts(&token, "ES256"))),
            "unsupported_alg"
        );
        assert_eq!(
            code(parts_error(jws_parts("a.b", "RS256"))),
            "malformed_jwt"
        );
        let none = unsigned_token_for_tests(r#"{"alg":"none"}"#, "{}");
        assert_eq!(
            code(parts_error(jws_parts(&none, "RS256"))),
            "unsupported_alg"
        );
        assert_eq!(
            code(parts_error(jws_parts(&none, "RS256"))),
            code(jws_key(&none, "RS256", r#"{"keys":[]}"#))
        );
    }

    #[test]
    fn before_the_signature_only_the_header_is_read_and_the_payload_json_after_it() {
        let c = config();
        let set = json!({"keys": [{"kty": "RSA", "kid": "k1", "n": modulus(2048), "e": "AQAB"}]})
            .to_string();
        let expect = js(&ok(verify_options(&c, "")))["expect"]
            .as_str()
            .unwrap()
            .to_owned();
        // A payload of valid base64url that is no JSON object: the header picks the key, and
        // the payload is judged once the signature verified, by validate_id_token.
        for payload in ["not json", "[1]", r#"{"sub":"a","sub":"b"}"#] {
            let token = unsigned_token_for_tests(r#"{"alg":"RS256","kid":"k1"}"#, payload);
            parts(jws_parts(&token, "RS256"));
            assert_eq!(js(&ok(jws_key(&token, "RS256", &set)))["kid"], "k1");
            assert_eq!(
                code(validate_id_token(&token, &expect, NOW)),
                "malformed_jwt"
            );
        }
        // The payload's base64url is checked before: it is the JWS's structure.
        let token = id_token("alice", None, NOW as i64 + 60);
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[1] = "e30=";
        let bad = parts.join(".");
        assert_eq!(code(parts_error(jws_parts(&bad, "RS256"))), "malformed_jwt");
    }

    #[test]
    fn renewal_takes_the_refresh_token_when_one_is_held_else_the_silent_sign_in() {
        let c = config();
        let with_refresh = stored_tokens(&c, "alice", NOW as i64 + 3600, Some("rt-1"));
        let without = stored_tokens(&c, "alice", NOW as i64 + 3600, None);
        assert_eq!(ok(renewal_path(&c, &with_refresh)), "refresh");
        assert_eq!(ok(renewal_path(&c, &without)), "silent");
        assert_eq!(ok(renewal_path(&c, "")), "silent");
    }

    #[test]
    fn verify_options_pick_the_source() {
        let c = config();
        let e = err(verify_options(&c, &json!({"code": "c"}).to_string()));
        assert!(e[1].contains("nonce"), "{e:?}");
        assert_eq!(
            code(verify_options(&c, &json!({"nonse": "n"}).to_string())),
            "invalid_parameter"
        );
        let out = js(&ok(verify_options(
            &c,
            &json!({"nonce": "n", "now": 12}).to_string(),
        )));
        assert_eq!(out["now"], 12);
        let expect = js(out["expect"].as_str().unwrap());
        assert_eq!(expect["source"], "token");
        assert_eq!(expect["nonce"], "n");
        // The configuration's part of the checks travels in the expectations.
        let config = js(&c);
        assert_eq!(expect["issuer"], config["issuer"]);
        assert_eq!(expect["clientId"], config["clientId"]);
        assert_eq!(expect["clockSkewSeconds"], config["clockSkewSeconds"]);
        let out = js(&ok(verify_options(&c, "")));
        let expect = out["expect"].as_str().unwrap();
        // Any token, nonce skipped.
        let token = id_token("alice", Some("whatever"), NOW as i64 + 60);
        ok(validate_id_token(&token, expect, NOW));
        let out = js(&ok(verify_options(
            &c,
            &json!({"nonce": "n", "code": "c", "maxAge": 60}).to_string(),
        )));
        let expect = js(out["expect"].as_str().unwrap());
        assert_eq!(expect["source"], "authorization");
        assert_eq!(expect["maxAge"], 60);
    }

    // ---- the token model ----

    #[test]
    fn stored_tokens_read_normalize_and_compare() {
        let c = config();
        let empty = json!({"version": 1, "issuer": ISSUER, "clientId": CLIENT}).to_string();
        assert_eq!(ok(parse_stored(&c, &empty)), "");
        let foreign = json!({"version": 1, "issuer": ISSUER, "clientId": "x", "refreshToken": "r"})
            .to_string();
        assert_eq!(code(parse_stored(&c, &foreign)), "invalid_response");
        let a = stored_tokens(&c, "alice", NOW as i64 + 100, Some("r"));
        assert_eq!(ok(parse_stored(&c, &a)), a);
        let a2 = stored_tokens(&c, "alice", NOW as i64 + 200, Some("r"));
        let b = stored_tokens(&c, "bob", NOW as i64 + 100, Some("r"));
        assert_eq!(ok(change_event(&c, "", "")), "");
        assert_eq!(ok(change_event(&c, &a, &a)), "");
        assert_eq!(ok(change_event(&c, &a, &a2)), "renewed");
        assert_eq!(ok(change_event(&c, &a, &b)), "added");
        assert_eq!(ok(change_event(&c, "", &a)), "added");
        assert_eq!(ok(change_event(&c, &a, "")), "removed");
    }

    #[test]
    fn renewal_rules_over_stored_tokens() {
        let c = config();
        let soon = stored_tokens(&c, "alice", NOW as i64 + 20, None);
        let later = stored_tokens(&c, "alice", NOW as i64 + 3600, None);
        assert_eq!(ok(renewal_due(&c, &soon, "all", NOW)), "1");
        assert_eq!(ok(renewal_due(&c, &later, "id", NOW)), "0");
        assert_eq!(ok(renewal_due(&c, "", "access", NOW)), "0");
        assert_eq!(
            code(renewal_due(&c, &later, "both", NOW)),
            "invalid_parameter"
        );
        assert_eq!(ok(validate_renewed(&c, &soon, "all", NOW)), "");
        assert_eq!(
            code(validate_renewed(&c, &soon, "all", NOW + 30.0)),
            "expired"
        );
        assert_eq!(ok(renewal_delay(&c, &later, NOW)), "3570");
        assert_eq!(ok(renewal_delay(&c, &soon, NOW)), "10");
        assert_eq!(ok(renewal_delay(&c, "", NOW)), "-1");
        let keys = js(&ok(storage_keys(&c)));
        assert_eq!(
            keys["tokens"],
            format!("okta-auth-wasm:tokens:{CLIENT} {ISSUER}")
        );
        assert_eq!(
            keys["marker"],
            format!("okta-auth-wasm:renewed:{CLIENT} {ISSUER}")
        );
        assert_eq!(
            keys["lock"],
            format!("okta-auth-wasm:renew:okta-auth-wasm:tokens:{CLIENT} {ISSUER}")
        );
        assert_eq!(keys["transactionPrefix"], "okta-auth-wasm.tx.");
    }

    // ---- resources ----

    #[test]
    fn userinfo_needs_both_tokens_and_checks_sub() {
        let c = config();
        let p = provider(&c);
        let e = err(userinfo_request(&c, &p, ""));
        assert!(e[2].contains("an access token"), "{e:?}");
        let only_at = ok(parse_stored(
            &c,
            &json!({"version": 1, "issuer": ISSUER, "clientId": CLIENT,
                "accessToken": {"value": "at", "scopes": [], "tokenType": "Bearer"}})
            .to_string(),
        ));
        let e = err(userinfo_request(&c, &p, &only_at));
        assert!(e[2].contains("an ID token"), "{e:?}");
        let held = stored_tokens(&c, "alice", NOW as i64 + 100, None);
        let request = js(&ok(userinfo_request(&c, &p, &held)));
        assert_eq!(request["method"], "GET");
        assert_eq!(
            request["headers"][0],
            json!(["Authorization", "Bearer at-1"])
        );
        assert!(request.get("body").is_none());
        let body = br#"{"sub":"alice","name":"Alice"}"#;
        assert_eq!(
            ok(process_userinfo_response(
                &c,
                &held,
                200,
                "application/json",
                "",
                body
            ))
            .as_bytes(),
            body
        );
        assert_eq!(
            code(process_userinfo_response(
                &c,
                &held,
                200,
                "application/json",
                "",
                br#"{"sub":"bob"}"#
            )),
            "sub_mismatch"
        );
        let e = err(process_userinfo_response(
            &c,
            &held,
            401,
            "",
            "Bearer error=\"invalid_token\"",
            b"",
        ));
        assert_eq!(e[0], "invalid_token");
        let no_userinfo = ok(configure(
            &json!({"issuer": "https://idp.example", "clientId": CLIENT, "redirectUri": "https://app.example/cb"})
                .to_string(),
        ));
        let p2 = ok(process_discovery_response(
            &no_userinfo,
            200,
            "application/json",
            &discovery_doc(json!({})),
        ));
        let held2 = ok(parse_stored(
            &no_userinfo,
            &json!({"version": 1, "issuer": "https://idp.example", "clientId": CLIENT,
                "accessToken": {"value": "at", "scopes": [], "tokenType": "Bearer"},
                "idToken": unsigned_token_for_tests(r#"{"alg":"RS256"}"#, &json!({"iss": "https://idp.example", "aud": CLIENT, "sub": "a", "iat": 1, "exp": 2}).to_string())})
            .to_string(),
        ));
        let e = err(userinfo_request(&no_userinfo, &p2, &held2));
        assert_eq!(e[0], "invalid_config");
        assert!(e[2].contains("endpoints.userinfo"), "{e:?}");
    }

    #[test]
    fn introspection_request_and_response() {
        let c = config();
        let p = provider(&c);
        assert_eq!(
            code(introspect_request(&c, &p, "t", "bogus")),
            "invalid_parameter"
        );
        let request = js(&ok(introspect_request(&c, &p, "t", "access_token")));
        assert_eq!(
            request["body"],
            format!("token=t&token_type_hint=access_token&client_id={CLIENT}")
        );
        assert!(!ok(introspect_request(&c, &p, "t", "")).contains("token_type_hint"));
        let body = br#"{"active":false}"#;
        assert_eq!(
            ok(process_introspect_response(
                200,
                "application/json",
                "",
                body
            ))
            .as_bytes(),
            body
        );
    }

    #[test]
    fn revocation_forgets_only_the_revoked_token() {
        let c = config();
        let p = provider(&c);
        let held = stored_tokens(&c, "alice", NOW as i64 + 100, Some("rt-1"));
        let request = js(&ok(revoke_request(&c, &p, &held, "refresh")));
        assert_eq!(request["token"], "rt-1");
        assert_eq!(request["url"], format!("{ISSUER}/v1/revoke"));
        let e = err(revoke_request(&c, &p, "", "access"));
        assert!(e[2].contains("an access token"), "{e:?}");
        assert_eq!(
            code(revoke_request(&c, &p, &held, "id")),
            "invalid_parameter"
        );
        assert_eq!(ok(process_revoke_response(200, "", "", b"anything")), "");
        assert_eq!(
            code(process_revoke_response(503, "", "", b"")),
            "unexpected_status"
        );

        assert_eq!(ok(without_token(&c, &held, "refresh", "rt-old")), "");
        let out = js(&ok(without_token(&c, &held, "refresh", "rt-1")));
        let remaining = js(&ok(tokens_view(&c, out["remaining"].as_str().unwrap())));
        assert!(remaining.get("refreshToken").is_none());
        assert_eq!(remaining["accessToken"]["value"], "at-1");
        let removed = js(&ok(tokens_view(&c, out["removed"].as_str().unwrap())));
        assert_eq!(removed, json!({"refreshToken": {"value": "rt-1"}}));
        let only_rt = ok(parse_stored(
            &c,
            &json!({"version": 1, "issuer": ISSUER, "clientId": CLIENT, "refreshToken": "rt"})
                .to_string(),
        ));
        assert_eq!(
            js(&ok(without_token(&c, &only_rt, "refresh", "rt")))["remaining"],
            ""
        );
    }

    #[test]
    fn sign_out_options_and_end_session_url() {
        assert_eq!(
            js(&ok(sign_out_options(""))),
            json!({"revoke": true, "local": false})
        );
        assert_eq!(
            js(&ok(sign_out_options(&json!({"local": true, "state": "s", "postLogoutRedirectUri": "https://app.example/bye"}).to_string()))),
            json!({"revoke": true, "local": true, "postLogoutRedirectUri": "https://app.example/bye", "state": "s"})
        );
        assert_eq!(
            code(sign_out_options(&json!({"revoke": "no"}).to_string())),
            "invalid_parameter"
        );
        assert_eq!(
            code(sign_out_options(&json!({"global": true}).to_string())),
            "invalid_parameter"
        );

        let c = config_with(json!({"postLogoutRedirectUri": "https://app.example/out"}));
        let p = provider(&c);
        let held = stored_tokens(&c, "alice", NOW as i64 - 100, None);
        let url = ok(end_session_url(&c, &p, &held, ""));
        assert!(
            url.starts_with(&format!("{ISSUER}/v1/logout?id_token_hint=")),
            "{url}"
        );
        assert!(
            url.contains("post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fout"),
            "{url}"
        );
        let url = ok(end_session_url(
            &c,
            &p,
            "",
            &json!({"state": "s"}).to_string(),
        ));
        assert!(
            url.contains("client_id=0oa1spa") && url.contains("state=s"),
            "{url}"
        );
        let mut no_logout = js(&p);
        no_logout.as_object_mut().unwrap().remove("logout");
        assert_eq!(
            ok(end_session_url(&c, &no_logout.to_string(), &held, "")),
            ""
        );
    }

    // ---- robustness ----

    // ---- DPoP ----

    /// A P-256 public key as WebCrypto's `exportKey('jwk')` gives it, and its RFC 7638
    /// thumbprint computed by jose 6.2.18 (`calculateJwkThumbprint`, in Node).
    const EC_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"gYT4JX0Uc69Lj3Y7ugzoUUErX9pgF4B_4sM8LA81HN4","y":"anknwymlozhgw9wYkWqkjA_q1Cjgr76edC8DxtBVDBA","ext":true,"key_ops":["verify"]}"#;
    const JKT: &str = "c_6TURx2uHQ4sakmur8zG7H_riNRM9NGAk1Z5Fvi58Q";
    /// RFC 9449 §7.1's example access token and its `ath`.
    const RFC_AT: &str = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    const RFC_ATH: &str = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

    fn dpop_config() -> String {
        config_with(json!({"dpop": true}))
    }

    fn dpop_authorize(c: &str, p: &str, jkt: &str) -> Result<J, Vec<String>> {
        let text = build_authorize_request(c, p, "", "redirect", &random(), APP, NOW, jkt);
        if text.starts_with(SEP) {
            return Err(err(text));
        }
        Ok(js(&text))
    }

    fn authorize_param(url: &str, name: &str) -> Option<String> {
        let (_, query) = url.split_once('?').unwrap();
        crate::protocol::form::parse(query)
            .unwrap()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// A DPoP code sign-in up to the token answer, read for `read_jkt`: (transaction,
    /// validated, exchange request, answer text or error text).
    fn dpop_code_sign_in(c: &str, token_type: &str, read_jkt: &str) -> (String, String, J, String) {
        let p = provider(c);
        let r = dpop_authorize(c, &p, JKT).unwrap();
        let tx = r["transaction"].as_str().unwrap().to_owned();
        let state = r["state"].as_str().unwrap();
        let nonce = r["nonce"].as_str().unwrap();
        let validated = ok(validate_redirect_response(
            c,
            &p,
            &tx,
            &format!("?code=abc&state={state}"),
            "",
        ));
        let exchange = js(&ok(code_exchange_request(c, &p, &tx, &validated)));
        let body = json!({
            "access_token": RFC_AT, "token_type": token_type, "expires_in": 3600,
            "scope": "openid profile", "refresh_token": "rt-1",
            "id_token": id_token("alice", Some(nonce), NOW as i64 + 3600),
        });
        let answer = process_token_response(
            200,
            "application/json",
            "",
            body.to_string().as_bytes(),
            read_jkt,
        );
        (tx, validated, exchange, answer)
    }

    /// Stored tokens bound to `JKT`, signed in through the DPoP code flow.
    fn dpop_held(c: &str) -> String {
        let (tx, validated, _, answer) = dpop_code_sign_in(c, "DPoP", JKT);
        ok(complete_sign_in(c, &tx, &validated, &answer, "", NOW))
    }

    #[test]
    fn configure_reads_dpop_and_refuses_it_with_a_front_channel_token() {
        assert_eq!(js(&config())["dpop"], false);
        assert_eq!(js(&dpop_config())["dpop"], true);
        // The normalized text reads back the same.
        assert_eq!(ok(configure(&dpop_config())), dpop_config());
        let c = |extra: J| {
            let mut input = json!({"issuer": ISSUER, "clientId": CLIENT, "redirectUri": APP});
            for (k, v) in extra.as_object().unwrap() {
                input[k] = v.clone();
            }
            err(configure(&input.to_string()))
        };
        let e = c(json!({"dpop": "yes"}));
        assert_eq!(
            (e[0].as_str(), e[2].as_str()),
            ("invalid_config", "dpop must be true or false")
        );
        let e = c(json!({"dpop": true, "responseType": "code token"}));
        assert_eq!(e[0], "invalid_config");
        assert!(
            e[2].starts_with("dpop needs a responseType without token"),
            "{e:?}"
        );
    }

    #[test]
    fn provider_does_dpop_when_discovery_lists_es256_or_the_app_says_so() {
        assert_eq!(js(&provider(&config()))["dpop"], false);
        assert_eq!(js(&provider(&dpop_config()))["dpop"], true);
        let c = ok(configure(
            &json!({"issuer": "https://idp.example", "clientId": CLIENT, "redirectUri": "https://app.example/cb"})
                .to_string(),
        ));
        let dpop_of = |extra: J| {
            let p = process_discovery_response(&c, 200, "application/json", &discovery_doc(extra));
            js(&ok(p))["dpop"].clone()
        };
        assert_eq!(dpop_of(json!({})), false);
        assert_eq!(
            dpop_of(json!({"dpop_signing_alg_values_supported": ["RS256", "ES256"]})),
            true
        );
        assert_eq!(
            dpop_of(json!({"dpop_signing_alg_values_supported": ["RS256", "PS256"]})),
            false
        );
        let e = err(process_discovery_response(
            &c,
            200,
            "application/json",
            &discovery_doc(json!({"dpop_signing_alg_values_supported": "ES256"})),
        ));
        assert_eq!(e[0], "invalid_response");
    }

    #[test]
    fn authorize_url_carries_dpop_jkt_only_when_the_provider_does_dpop() {
        let c = dpop_config();
        let r = dpop_authorize(&c, &provider(&c), JKT).unwrap();
        let url = r["url"].as_str().unwrap();
        assert_eq!(authorize_param(url, "dpop_jkt").as_deref(), Some(JKT));
        let tx = parse_transaction(r["transaction"].as_str().unwrap()).unwrap();
        assert_eq!(tx.dpop_jkt.as_deref(), Some(JKT));
        // The app said dpop: true, the provider (by discovery) did not: no dpop_jkt on the
        // URL, but the transaction still binds the code exchange.
        let p = provider(&c).replace("\"dpop\":true", "\"dpop\":false");
        let r = dpop_authorize(&c, &p, JKT).unwrap();
        assert_eq!(
            authorize_param(r["url"].as_str().unwrap(), "dpop_jkt"),
            None
        );
        let tx = parse_transaction(r["transaction"].as_str().unwrap()).unwrap();
        assert_eq!(tx.dpop_jkt.as_deref(), Some(JKT));
        // Without DPoP: nothing.
        let c = config();
        let r = dpop_authorize(&c, &provider(&c), "").unwrap();
        assert_eq!(
            authorize_param(r["url"].as_str().unwrap(), "dpop_jkt"),
            None
        );
        let tx = parse_transaction(r["transaction"].as_str().unwrap()).unwrap();
        assert_eq!(tx.dpop_jkt, None);
    }

    #[test]
    fn build_authorize_url_with_dpop_needs_no_key_but_the_library_flows_do() {
        // buildAuthorizeUrl (flow "url"): the app redeems the code itself, with its own key.
        let c = dpop_config();
        let p = provider(&c);
        let r = js(&ok(build_authorize_request(
            &c,
            &p,
            "",
            "url",
            &random(),
            APP,
            NOW,
            "",
        )));
        assert_eq!(
            authorize_param(r["url"].as_str().unwrap(), "dpop_jkt"),
            None
        );
        for flow in ["redirect", "popup", "silent"] {
            let e = err(build_authorize_request(
                &c,
                &p,
                "",
                flow,
                &random(),
                APP,
                NOW,
                "",
            ));
            assert_eq!(e[0], "invalid_parameter", "{flow}");
        }
    }

    #[test]
    fn authorize_request_checks_dpop_jkt_against_the_configuration() {
        let c = dpop_config();
        let p = provider(&c);
        for bad in [
            "",
            "abc",
            &JKT[1..],
            &format!("{JKT}A"),
            &JKT.replace('_', "/"),
        ] {
            let e = dpop_authorize(&c, &p, bad).unwrap_err();
            assert_eq!(
                (e[0].as_str(), e[2].split(' ').next()),
                ("invalid_parameter", Some("dpop_jkt")),
                "{bad:?}"
            );
        }
        let c = config();
        let e = dpop_authorize(&c, &provider(&c), JKT).unwrap_err();
        assert_eq!(e[2], "dpop_jkt must be empty without dpop: true");
        // A per-call front-channel access token cannot be bound either.
        let c = dpop_config();
        let e = err(build_authorize_request(
            &c,
            &provider(&c),
            &json!({"responseType": "id_token token"}).to_string(),
            "redirect",
            &random(),
            APP,
            NOW,
            JKT,
        ));
        assert!(
            e[2].starts_with("responseType needs a responseType without token"),
            "{e:?}"
        );
    }

    #[test]
    fn code_exchange_carries_the_transactions_dpop_key() {
        let c = dpop_config();
        let (_, _, exchange, _) = dpop_code_sign_in(&c, "DPoP", JKT);
        assert_eq!(exchange["dpop"], json!({"jkt": JKT}));
        assert_eq!(exchange["method"], "POST");
        // Without DPoP, no binding.
        let c = config();
        let (tx, validated, _, _) = code_sign_in(&c, "alice");
        let exchange = js(&ok(code_exchange_request(
            &c,
            &provider(&c),
            &tx,
            &validated,
        )));
        assert!(exchange.get("dpop").is_none(), "{exchange}");
    }

    #[test]
    fn token_answer_must_be_dpop_bound_when_dpop_was_asked_for() {
        let c = dpop_config();
        let (_, _, _, answer) = dpop_code_sign_in(&c, "DPoP", JKT);
        let a = js(&ok(answer.clone()));
        assert_eq!(a["dpop_jkt"], JKT);
        assert_eq!(a["token_type"], "DPoP");
        // The normalized answer reads back, with its key.
        let again = ok(process_token_response(
            200,
            "application/json",
            "",
            answer.as_bytes(),
            JKT,
        ));
        assert_eq!(again, answer);
        assert_eq!(read_token_response(&answer).unwrap().dpop_jkt(), Some(JKT));
        // Asked for DPoP, got a bearer token.
        let (_, _, _, answer) = dpop_code_sign_in(&c, "Bearer", JKT);
        let e = err(answer);
        assert_eq!(e[0], "dpop_not_bound");
        assert!(e[2].contains("token_type \"Bearer\""), "{e:?}");
        // Not asked for DPoP, got a DPoP token: refused as before.
        let (_, _, _, answer) = dpop_code_sign_in(&c, "DPoP", "");
        assert_eq!(code(answer), "invalid_response");
        // A key that is no thumbprint.
        let (_, _, _, answer) = dpop_code_sign_in(&c, "DPoP", "abc");
        assert_eq!(code(answer), "invalid_parameter");
        // The provider's nonce challenge stays its error.
        let e = err(process_token_response(
            400,
            "application/json",
            "",
            br#"{"error":"use_dpop_nonce","error_description":"needs a nonce"}"#,
            JKT,
        ));
        assert_eq!(
            (e[0].as_str(), e[3].as_str()),
            ("provider_error", "use_dpop_nonce")
        );
    }

    #[test]
    fn sign_in_stores_the_dpop_key_and_refuses_an_answer_read_for_another() {
        let c = dpop_config();
        let held = dpop_held(&c);
        let v = js(&held);
        assert_eq!(v["dpopJkt"], JKT);
        assert_eq!(v["accessToken"]["tokenType"], "DPoP");
        assert_eq!(ok(dpop_bound_key(&c, &held)), JKT);
        assert_eq!(ok(parse_stored(&c, &held)), held);
        // A token answer read for another key than the transaction's.
        let other = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let (tx, validated, _, answer) = dpop_code_sign_in(&c, "DPoP", other);
        assert_eq!(
            code(complete_sign_in(&c, &tx, &validated, &answer, "", NOW)),
            "internal"
        );
        // Bearer tokens: no key.
        let c = config();
        let (tx, validated, _, answer) = code_sign_in(&c, "alice");
        let held = ok(complete_sign_in(&c, &tx, &validated, &answer, "", NOW));
        assert!(js(&held).get("dpopJkt").is_none());
        assert_eq!(ok(dpop_bound_key(&c, &held)), "");
        assert_eq!(ok(dpop_bound_key(&c, "")), "");
    }

    #[test]
    fn refresh_of_bound_tokens_carries_and_keeps_their_key() {
        let c = dpop_config();
        let p = provider(&c);
        let held = dpop_held(&c);
        let request = js(&ok(refresh_request(&c, &p, &held)));
        assert_eq!(request["dpop"], json!({"jkt": JKT}));
        let body = json!({"access_token": "at-2", "token_type": "DPoP", "expires_in": 60});
        let answer = ok(process_token_response(
            200,
            "application/json",
            "",
            body.to_string().as_bytes(),
            JKT,
        ));
        let renewed = ok(complete_refresh(&c, &held, &answer, NOW));
        assert_eq!(js(&renewed)["dpopJkt"], JKT);
        assert_eq!(js(&renewed)["accessToken"]["value"], "at-2");
        // An answer read without the key (or with another) is not these tokens' refresh.
        let bearer = token_body(json!({"access_token": "at-2", "token_type": "Bearer"}));
        assert_eq!(code(complete_refresh(&c, &held, &bearer, NOW)), "internal");
        // Bearer tokens are refreshed without a binding, and refuse a bound answer.
        let plain = stored_tokens(&config(), "alice", NOW as i64 + 100, Some("rt"));
        let request = js(&ok(refresh_request(
            &config(),
            &provider(&config()),
            &plain,
        )));
        assert!(request.get("dpop").is_none());
        assert_eq!(
            code(complete_refresh(&config(), &plain, &answer, NOW)),
            "internal"
        );
    }

    #[test]
    fn resource_requests_present_a_bound_token_with_the_dpop_scheme() {
        let c = dpop_config();
        let p = provider(&c);
        let held = dpop_held(&c);
        let binding = json!({"jkt": JKT, "ath": RFC_ATH});
        let authorization = json!(["Authorization", format!("DPoP {RFC_AT}")]);

        let r = js(&ok(userinfo_request(&c, &p, &held)));
        assert_eq!(r["headers"][0], authorization);
        assert_eq!(r["dpop"], binding);

        // Introspection and revocation authenticate the client (RFC 7662, RFC 7009): no
        // Authorization header, no proof, for a bound token as for a bearer one.
        for r in [
            js(&ok(introspect_request(&c, &p, "some-token", ""))),
            js(&ok(revoke_request(&c, &p, &held, "access"))),
            js(&ok(revoke_request(&c, &p, &held, "refresh"))),
        ] {
            assert!(r.get("dpop").is_none(), "{r}");
            assert!(!r["headers"].to_string().contains("Authorization"), "{r}");
        }
    }

    #[test]
    fn resource_requests_of_bearer_tokens_are_unchanged() {
        let c = config();
        let p = provider(&c);
        let held = stored_tokens(&c, "alice", NOW as i64 + 100, Some("rt"));
        let r = js(&ok(userinfo_request(&c, &p, &held)));
        assert_eq!(r["headers"][0], json!(["Authorization", "Bearer at-1"]));
        assert!(r.get("dpop").is_none());
        for r in [
            js(&ok(introspect_request(&c, &p, "t", ""))),
            js(&ok(revoke_request(&c, &p, &held, "access"))),
        ] {
            assert!(r.get("dpop").is_none(), "{r}");
            let names: Vec<&str> = r["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h[0].as_str().unwrap())
                .collect();
            assert!(!names.contains(&"Authorization"), "{r}");
        }
        // A DPoP token_type without a key held (written by someone else) is no binding.
        let mut v = js(&held);
        v["accessToken"]["tokenType"] = json!("DPoP");
        let unkeyed = ok(parse_stored(&c, &v.to_string()));
        assert!(js(&ok(userinfo_request(&c, &p, &unkeyed)))
            .get("dpop")
            .is_none());
        // Nor is a key beside a Bearer token_type: the token decides how it is sent.
        let mut v = js(&held);
        v["dpopJkt"] = json!(JKT);
        let keyed = ok(parse_stored(&c, &v.to_string()));
        let r = js(&ok(userinfo_request(&c, &p, &keyed)));
        assert_eq!(r["headers"][0], json!(["Authorization", "Bearer at-1"]));
        assert!(r.get("dpop").is_none());
    }

    #[test]
    fn api_request_presents_the_held_access_token() {
        let c = dpop_config();
        let held = dpop_held(&c);
        let r = js(&ok(api_request(
            &c,
            &held,
            "post",
            "https://api.example/things?x=1",
        )));
        assert_eq!(
            r,
            json!({"headers": [["Authorization", format!("DPoP {RFC_AT}")]], "dpop": {"jkt": JKT, "ath": RFC_ATH}})
        );
        let plain = stored_tokens(&config(), "alice", NOW as i64 + 100, None);
        let r = js(&ok(api_request(
            &config(),
            &plain,
            "GET",
            "https://api.example/",
        )));
        assert_eq!(r, json!({"headers": [["Authorization", "Bearer at-1"]]}));
        let e = err(api_request(&config(), "", "GET", "https://api.example/"));
        assert_eq!(
            (e[0].as_str(), e[2].as_str()),
            (
                "not_authenticated",
                "not signed in: this needs an access token"
            )
        );
        assert_eq!(
            err(api_request(&c, &held, "GET", "/things"))[2],
            "url must be an absolute http(s) URL"
        );
        assert_eq!(
            err(api_request(&c, &held, "GE T", "https://api.example/"))[2]
                .split(' ')
                .next(),
            Some("method")
        );
        // A token that cannot go in a header.
        let mut v = js(&plain);
        v["accessToken"]["value"] = json!("a b");
        let spaced = ok(parse_stored(&config(), &v.to_string()));
        assert_eq!(
            code(api_request(
                &config(),
                &spaced,
                "GET",
                "https://api.example/"
            )),
            "invalid_parameter"
        );
    }

    #[test]
    fn dpop_proof_and_thumbprint_through_the_door() {
        let input = ok(dpop_proof(
            EC_JWK,
            "get",
            "https://api.example/a?b#c",
            "",
            RFC_ATH,
            &[0; 16],
            NOW,
        ));
        let (_, claims) = input.split_once('.').unwrap();
        let claims: J = serde_json::from_slice(&base64url::decode(claims).unwrap()).unwrap();
        assert_eq!(
            claims,
            json!({"jti": "AAAAAAAAAAAAAAAAAAAAAA", "htm": "GET", "htu": "https://api.example/a", "ath": RFC_ATH, "iat": NOW as i64})
        );
        let e = err(dpop_proof(
            EC_JWK,
            "GET",
            "https://api.example/",
            "",
            "",
            &[0; 16],
            f64::NAN,
        ));
        assert_eq!(
            e[2],
            "now must be a finite number of seconds since the epoch"
        );
        assert_eq!(ok(dpop_jkt(EC_JWK)), JKT);
        assert_eq!(code(dpop_jkt("{}")), "invalid_parameter");
    }

    #[test]
    fn dpop_nonce_challenge_answers_1_or_nothing() {
        assert_eq!(
            dpop_nonce_challenge(
                400,
                "application/json",
                "",
                br#"{"error":"use_dpop_nonce"}"#
            ),
            "1"
        );
        assert_eq!(
            dpop_nonce_challenge(401, "", r#"DPoP error="use_dpop_nonce""#, b""),
            "1"
        );
        assert_eq!(
            dpop_nonce_challenge(400, "application/json", "", br#"{"error":"invalid_grant"}"#),
            ""
        );
        assert_eq!(
            dpop_nonce_challenge(401, "", r#"Bearer error="use_dpop_nonce""#, b""),
            ""
        );
        assert_eq!(
            dpop_nonce_challenge(401, "", r#"DPoP error="invalid_token""#, b""),
            ""
        );
    }

    #[test]
    fn make_error_names_the_dpop_crypto_failures() {
        for (detail, words) in [
            ("dpop_key", "sign in again"),
            ("sign", "crypto.subtle.sign"),
            ("generate", "P-256 key generation"),
        ] {
            let e = err(make_error("crypto", detail));
            assert_eq!(e[0], "crypto_error");
            assert!(e[2].contains(words), "{detail}: {e:?}");
        }
    }

    #[test]
    fn never_panics_on_mutated_inputs() {
        let c = config();
        let p = provider(&c);
        let r = authorize(&c, json!({}), "redirect");
        let tx = r["transaction"].as_str().unwrap().to_owned();
        let held = stored_tokens(&c, "alice", NOW as i64 + 100, Some("rt"));
        let bound = dpop_held(&dpop_config());
        let seeds: Vec<Vec<u8>> = vec![
            c.clone().into_bytes(),
            p.clone().into_bytes(),
            tx.clone().into_bytes(),
            held.clone().into_bytes(),
            bound.clone().into_bytes(),
            EC_JWK.as_bytes().to_vec(),
        ];
        let mut inputs: Vec<Vec<u8>> = random_inputs(200, 64);
        for seed in &seeds {
            inputs.extend(mutations(seed, 150));
        }
        for input in inputs {
            let s = String::from_utf8_lossy(&input);
            let _ = configure(&s);
            let _ = provider_from_config(&s);
            let _ = build_authorize_request(&c, &s, &s, "popup", &input, &s, NOW, &s);
            let _ = build_authorize_request(&s, &p, "", "redirect", &random(), APP, NOW, "");
            let _ = transaction_status(&c, &s, "", NOW);
            let _ = cleaned_location(&s, &s, &s);
            let _ = validate_redirect_response(&c, &p, &tx, &s, &s);
            let _ = validate_message(&c, &p, &tx, &s);
            let _ = validate_message(&c, &s, &s, &s);
            let _ = complete_sign_in(&c, &tx, &s, &s, &s, NOW);
            let _ = validate_id_token(&s, &s, NOW);
            let _ = jws_key(&s, "RS256", &s);
            let _ = process_token_response(200, "application/json", "", &input, "");
            let _ = process_token_response(200, "application/json", "", &input, JKT);
            let _ = dpop_proof(&s, "GET", "https://x.example/", "", "", &input, NOW);
            let _ = dpop_proof(EC_JWK, &s, &s, &s, &s, &input, NOW);
            let _ = dpop_jkt(&s);
            let _ = dpop_nonce_challenge(400, &s, &s, &input);
            let _ = dpop_nonce_challenge(401, "", &s, &input);
            let _ = api_request(&c, &s, &s, &s);
            let _ = api_request(&c, &bound, "GET", &s);
            let _ = userinfo_request(&c, &p, &s);
            let _ = introspect_request(&c, &p, "t", "");
            let _ = revoke_request(&c, &p, &s, "access");
            let _ = complete_refresh(&c, &s, &s, NOW);
            let _ = dpop_bound_key(&c, &s);
            let _ = process_jwks_response(200, "application/json", "", &input);
            let _ = parse_stored(&c, &s);
            let _ = tokens_view(&c, &s);
            let _ = change_event(&c, &held, &s);
            let _ = without_token(&c, &s, "access", &s);
            let _ = end_session_url(&c, &p, &held, &s);
            let _ = userinfo_request(&c, &s, &held);
            let _ = process_userinfo_response(&c, &held, 200, "application/json", &s, &input);
            let _ = verify_options(&c, &s);
            let _ = make_error(&s, &s);
        }
    }
}
