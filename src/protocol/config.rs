//! The client configuration: what the app passes to `new AuthClient(config)`, checked once,
//! with every default applied. Anything unusable is refused here with `invalid_config` and
//! the option's name, so that a mistake surfaces at start-up instead of mid-sign-in.

use super::syntax::check_scope_list;
use super::url::{parse_http_url, UrlParts, UrlProblem};
use super::Error;

/// The configuration as read from JS, before any check. `None` means "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigInput {
    /// `issuer`
    pub issuer: Option<String>,
    /// `clientId`
    pub client_id: Option<String>,
    /// `redirectUri`
    pub redirect_uri: Option<String>,
    /// `postLogoutRedirectUri`
    pub post_logout_redirect_uri: Option<String>,
    /// `scopes`
    pub scopes: Option<Vec<String>>,
    /// `responseType`
    pub response_type: Option<String>,
    /// `storage`, already told apart by the facade: a name, or a custom object.
    pub storage: Option<StorageInput>,
    /// `clockSkewSeconds`
    pub clock_skew_seconds: Option<f64>,
    /// `expireEarlySeconds`
    pub expire_early_seconds: Option<f64>,
    /// `popupTimeoutMs`
    pub popup_timeout_ms: Option<f64>,
    /// `silentTimeoutMs`
    pub silent_timeout_ms: Option<f64>,
    /// `httpTimeoutMs`
    pub http_timeout_ms: Option<f64>,
    /// `popupResponseMode`
    pub popup_response_mode: Option<String>,
    /// `endpoints`, one entry per [`Endpoint`].
    pub endpoints: [Option<String>; Endpoint::ALL.len()],
    /// `autoRenew`
    pub auto_renew: Option<bool>,
    /// `dpop`
    pub dpop: Option<bool>,
}

/// What the app gave as `storage`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageInput {
    /// A string; must name a [`StorageKind`].
    Name(String),
    /// An object with `getItem`, `setItem` and `removeItem` functions (checked by the facade).
    Custom,
}

/// Where tokens are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// In the page's memory only: out of reach of storage-reading XSS, gone on reload.
    Memory,
    /// `window.sessionStorage`: survives reloads of one tab.
    SessionStorage,
    /// `window.localStorage`: survives reloads and is shared by the origin's tabs.
    LocalStorage,
    /// The app's own `{ getItem, setItem, removeItem }` object.
    Custom,
}

/// How a popup hands its authorization response back to the opener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopupResponseMode {
    /// Okta's `okta_post_message`: the provider's page posts a flat object to the opener.
    OktaPostMessage,
    /// `web_message` (draft-sakimura-oauth-wmrm): `{type: "authorization_response", response}`.
    WebMessage,
    /// A same-origin callback page at `redirectUri` posts the response back.
    Callback,
}

/// The endpoints an app may override, by their Okta path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `/v1/authorize`
    Authorize,
    /// `/v1/token`
    Token,
    /// `/v1/keys` (the JWKS)
    Keys,
    /// `/v1/userinfo`
    Userinfo,
    /// `/v1/introspect`
    Introspect,
    /// `/v1/revoke`
    Revoke,
    /// `/v1/logout` (end session)
    Logout,
}

impl Endpoint {
    /// Every endpoint, in the order of [`ConfigInput::endpoints`].
    pub const ALL: [Endpoint; 7] = [
        Endpoint::Authorize,
        Endpoint::Token,
        Endpoint::Keys,
        Endpoint::Userinfo,
        Endpoint::Introspect,
        Endpoint::Revoke,
        Endpoint::Logout,
    ];

    /// The key in the JS `endpoints` object.
    pub fn key(self) -> &'static str {
        self.field()
            .strip_prefix("endpoints.")
            .unwrap_or(self.field())
    }

    /// The option's full name, for error messages.
    pub fn field(self) -> &'static str {
        match self {
            Endpoint::Authorize => "endpoints.authorize",
            Endpoint::Token => "endpoints.token",
            Endpoint::Keys => "endpoints.keys",
            Endpoint::Userinfo => "endpoints.userinfo",
            Endpoint::Introspect => "endpoints.introspect",
            Endpoint::Revoke => "endpoints.revoke",
            Endpoint::Logout => "endpoints.logout",
        }
    }
}

/// Which tokens the authorize request asks for (OAuth 2.0 Multiple Response Types §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseType {
    /// `code`
    pub code: bool,
    /// `id_token`
    pub id_token: bool,
    /// `token`
    pub token: bool,
}

impl ResponseType {
    /// The `response_type` parameter, in a fixed order.
    pub fn as_str(self) -> &'static str {
        match (self.code, self.id_token, self.token) {
            (true, false, false) => "code",
            (false, true, false) => "id_token",
            (false, false, true) => "token",
            (true, true, false) => "code id_token",
            (true, false, true) => "code token",
            (false, true, true) => "id_token token",
            (true, true, true) => "code id_token token",
            // validate_response_type never builds the empty set
            (false, false, false) => "",
        }
    }
}

/// The validated configuration. Only [`validate_config`] builds one.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    /// Exactly as given: ID tokens and discovery must match it byte for byte.
    pub issuer: String,
    /// `client_id`
    pub client_id: String,
    /// `redirect_uri`
    pub redirect_uri: String,
    /// Where the provider sends the browser after sign-out.
    pub post_logout_redirect_uri: Option<String>,
    /// Default `["openid", "profile", "email"]`.
    pub scopes: Vec<String>,
    /// Default `code` (with PKCE).
    pub response_type: ResponseType,
    /// Default [`StorageKind::Memory`].
    pub storage: StorageKind,
    /// Leeway for `exp`, `iat`, `nbf`; default 300, at most 600.
    pub clock_skew_seconds: u32,
    /// Renew this long before expiry; default 30, at most 3600.
    pub expire_early_seconds: u32,
    /// Default 120 000.
    pub popup_timeout_ms: u32,
    /// Default 10 000.
    pub silent_timeout_ms: u32,
    /// Each HTTP request's bound, its body included; default 30 000.
    pub http_timeout_ms: u32,
    /// Default [`PopupResponseMode::OktaPostMessage`].
    pub popup_response_mode: PopupResponseMode,
    /// Overrides, in the order of [`Endpoint::ALL`].
    pub endpoints: [Option<String>; Endpoint::ALL.len()],
    /// Default `true`.
    pub auto_renew: bool,
    /// Sender-constrained tokens (DPoP, RFC 9449); default `false`.
    pub dpop: bool,
}

impl ClientConfig {
    /// The override for one endpoint, if the app gave one.
    pub fn endpoint_override(&self, endpoint: Endpoint) -> Option<&str> {
        self.endpoints[endpoint as usize].as_deref()
    }
}

/// RFC 9449 §5: only the token endpoint binds an access token to the DPoP key; one
/// from the authorization response (`token`) is a bearer token.
pub const DPOP_WITH_TOKEN: &str = "needs a responseType without token: an access token from the front channel cannot be DPoP-bound (RFC 9449)";

/// The scopes asked for when the app names none.
pub const DEFAULT_SCOPES: [&str; 3] = ["openid", "profile", "email"];

fn invalid(field: &'static str, problem: &'static str) -> Error {
    Error::InvalidConfig { field, problem }
}

/// The options of `new AuthClient(config)`, as JS names them.
pub const OPTION_NAMES: [&str; 16] = [
    "issuer",
    "clientId",
    "redirectUri",
    "postLogoutRedirectUri",
    "scopes",
    "responseType",
    "storage",
    "clockSkewSeconds",
    "expireEarlySeconds",
    "popupTimeoutMs",
    "silentTimeoutMs",
    "httpTimeoutMs",
    "popupResponseMode",
    "endpoints",
    "autoRenew",
    "dpop",
];

/// One option name of `new AuthClient(config)`. A name the library does not know is refused
/// rather than ignored ([`Error::UnknownConfigOption`]: `clientID`, `scope`). `clientSecret`
/// is refused as [`Error::NotForBrowsers`] (RFC 6749 §2.1 and §2.3.1): a browser app is a
/// public client, a secret given to it is readable by anyone who loads the page, and PKCE
/// (RFC 7636) is what protects its code exchange instead.
pub fn validate_option_name(name: &str) -> Result<(), Error> {
    if OPTION_NAMES.contains(&name) {
        return Ok(());
    }
    if name == "clientSecret" {
        return Err(Error::NotForBrowsers {
            what: "clientSecret: a browser cannot keep a secret (RFC 6749 §2.1); use a public client (single-page app) with PKCE",
        });
    }
    Err(Error::UnknownConfigOption(name.to_owned()))
}

/// Checks every option and applies the defaults.
pub fn validate_config(input: ConfigInput) -> Result<ClientConfig, Error> {
    let issuer = required(input.issuer, "issuer")?;
    validate_server_url(&issuer, "issuer", false)?;

    let client_id = required(input.client_id, "clientId")?;
    if client_id
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid(
            "clientId",
            "must not contain whitespace or control characters",
        ));
    }

    let redirect_uri = required(input.redirect_uri, "redirectUri")?;
    validate_redirect_uri(&redirect_uri, "redirectUri")?;

    let post_logout_redirect_uri = input.post_logout_redirect_uri;
    if let Some(uri) = &post_logout_redirect_uri {
        validate_redirect_uri(uri, "postLogoutRedirectUri")?;
    }

    let scopes = match input.scopes {
        None => DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        Some(scopes) => validate_scopes(scopes)?,
    };

    let response_type = match input.response_type {
        None => ResponseType {
            code: true,
            id_token: false,
            token: false,
        },
        Some(rt) => validate_response_type(&rt)?,
    };
    // OpenID Connect Core §3.1.2.1: without `openid` there is no ID token to ask for.
    if response_type.id_token && !scopes.iter().any(|s| s == "openid") {
        return Err(invalid(
            "scopes",
            "must include \"openid\" when responseType asks for an id_token",
        ));
    }
    let dpop = input.dpop.unwrap_or(false);
    if dpop && response_type.token {
        return Err(invalid("dpop", DPOP_WITH_TOKEN));
    }

    let storage = match input.storage {
        None => StorageKind::Memory,
        Some(StorageInput::Custom) => StorageKind::Custom,
        Some(StorageInput::Name(name)) => match name.as_str() {
            "memory" => StorageKind::Memory,
            "sessionStorage" => StorageKind::SessionStorage,
            "localStorage" => StorageKind::LocalStorage,
            _ => {
                return Err(invalid(
                    "storage",
                    "must be \"memory\", \"sessionStorage\", \"localStorage\" or an object with getItem, setItem and removeItem",
                ))
            }
        },
    };

    let popup_response_mode = match input.popup_response_mode.as_deref() {
        None | Some("okta_post_message") => PopupResponseMode::OktaPostMessage,
        Some("web_message") => PopupResponseMode::WebMessage,
        Some("callback") => PopupResponseMode::Callback,
        Some(_) => {
            return Err(invalid(
                "popupResponseMode",
                "must be \"okta_post_message\", \"web_message\" or \"callback\"",
            ))
        }
    };

    let mut endpoints = input.endpoints;
    for endpoint in Endpoint::ALL {
        let slot = &mut endpoints[endpoint as usize];
        // `{ token: "" }` is no override: the derived endpoint stays.
        if slot.as_deref() == Some("") {
            *slot = None;
        }
        if let Some(url) = slot {
            validate_server_url(url, endpoint.field(), true)?;
        }
    }

    Ok(ClientConfig {
        issuer,
        client_id,
        redirect_uri,
        post_logout_redirect_uri,
        scopes,
        response_type,
        storage,
        clock_skew_seconds: whole_number(
            input.clock_skew_seconds,
            "clockSkewSeconds",
            300,
            0,
            600,
            "must be a whole number of seconds from 0 to 600",
        )?,
        expire_early_seconds: whole_number(
            input.expire_early_seconds,
            "expireEarlySeconds",
            30,
            0,
            3600,
            "must be a whole number of seconds from 0 to 3600",
        )?,
        popup_timeout_ms: whole_number(
            input.popup_timeout_ms,
            "popupTimeoutMs",
            120_000,
            1,
            3_600_000,
            "must be a whole number of milliseconds from 1 to 3600000",
        )?,
        silent_timeout_ms: whole_number(
            input.silent_timeout_ms,
            "silentTimeoutMs",
            10_000,
            1,
            3_600_000,
            "must be a whole number of milliseconds from 1 to 3600000",
        )?,
        http_timeout_ms: whole_number(
            input.http_timeout_ms,
            "httpTimeoutMs",
            30_000,
            1,
            3_600_000,
            "must be a whole number of milliseconds from 1 to 3600000",
        )?,
        popup_response_mode,
        endpoints,
        auto_renew: input.auto_renew.unwrap_or(true),
        dpop,
    })
}

fn required(value: Option<String>, field: &'static str) -> Result<String, Error> {
    match value {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(invalid(field, "is required")),
    }
}

fn parse_or_explain<'a>(url: &'a str, field: &'static str) -> Result<UrlParts<'a>, Error> {
    let parts = parse_http_url(url).map_err(|problem| match problem {
        UrlProblem::NotAbsolute => invalid(field, "must be an absolute URL (https://host/path)"),
        UrlProblem::NotHttp => invalid(field, "must be an http or https URL"),
        UrlProblem::BadPort => invalid(field, "has a port that is not a number from 0 to 65535"),
    })?;
    if parts.userinfo.is_some() {
        return Err(invalid(field, "must not contain user:password@"));
    }
    Ok(parts)
}

/// An issuer or an endpoint: https, or plain http on a loopback host only, since tokens
/// and keys travel over it. OpenID Connect Discovery §3: an issuer has no query or fragment.
fn validate_server_url(url: &str, field: &'static str, query_allowed: bool) -> Result<(), Error> {
    let parts = parse_or_explain(url, field)?;
    if !parts.is_https() && !parts.is_loopback() {
        return Err(invalid(
            field,
            "must use https (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])",
        ));
    }
    if parts.fragment.is_some() {
        return Err(invalid(field, "must not have a #fragment"));
    }
    if !query_allowed && parts.query.is_some() {
        return Err(invalid(field, "must not have a ?query"));
    }
    Ok(())
}

/// RFC 6749 §3.1.2: the redirection endpoint URI is absolute and has no fragment.
fn validate_redirect_uri(url: &str, field: &'static str) -> Result<(), Error> {
    let parts = parse_or_explain(url, field)?;
    if parts.fragment.is_some() {
        return Err(invalid(
            field,
            "must not have a #fragment (RFC 6749 §3.1.2)",
        ));
    }
    Ok(())
}

/// RFC 6749 §3.3: `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`, space-separated.
fn validate_scopes(scopes: Vec<String>) -> Result<Vec<String>, Error> {
    check_scope_list(&scopes).map_err(|problem| invalid("scopes", problem))?;
    Ok(scopes)
}

fn validate_response_type(value: &str) -> Result<ResponseType, Error> {
    ResponseType::parse(value).map_err(|problem| invalid("responseType", problem))
}

impl ResponseType {
    /// OAuth 2.0 Multiple Response Type Encoding Practices §5: `code`, `token`, `id_token`,
    /// separated by single spaces, each at most once. On failure, says what is wrong as a
    /// sentence fragment for the caller's error (the option's or the parameter's).
    pub fn parse(value: &str) -> Result<ResponseType, &'static str> {
        const PROBLEM: &str =
            "must be \"code\", \"token\", \"id_token\" or a space-separated combination of them, each once";
        let mut rt = ResponseType {
            code: false,
            id_token: false,
            token: false,
        };
        for part in value.split(' ') {
            let flag = match part {
                "code" => &mut rt.code,
                "id_token" => &mut rt.id_token,
                "token" => &mut rt.token,
                _ => return Err(PROBLEM),
            };
            if *flag {
                return Err(PROBLEM);
            }
            *flag = true;
        }
        Ok(rt)
    }
}

fn whole_number(
    value: Option<f64>,
    field: &'static str,
    default: u32,
    min: u32,
    max: u32,
    problem: &'static str,
) -> Result<u32, Error> {
    let Some(v) = value else { return Ok(default) };
    if v.is_finite() && v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max) {
        Ok(v as u32)
    } else {
        Err(invalid(field, problem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_input() -> ConfigInput {
        ConfigInput {
            issuer: Some("https://dev-1.okta.com/oauth2/default".into()),
            client_id: Some("0oa1spa".into()),
            redirect_uri: Some("https://app.example/callback".into()),
            ..ConfigInput::default()
        }
    }

    fn field_of(result: Result<ClientConfig, Error>) -> &'static str {
        match result {
            Err(Error::InvalidConfig { field, .. }) => field,
            other => panic!("expected invalid_config, got {other:?}"),
        }
    }

    #[test]
    fn applies_documented_defaults() {
        let c = validate_config(valid_input()).unwrap();
        assert_eq!(c.issuer, "https://dev-1.okta.com/oauth2/default");
        assert_eq!(c.scopes, ["openid", "profile", "email"]);
        assert_eq!(c.response_type.as_str(), "code");
        assert_eq!(c.storage, StorageKind::Memory);
        assert_eq!(c.clock_skew_seconds, 300);
        assert_eq!(c.expire_early_seconds, 30);
        assert_eq!(c.popup_timeout_ms, 120_000);
        assert_eq!(c.silent_timeout_ms, 10_000);
        assert_eq!(c.http_timeout_ms, 30_000);
        assert_eq!(c.popup_response_mode, PopupResponseMode::OktaPostMessage);
        assert!(c.auto_renew);
        assert!(Endpoint::ALL
            .iter()
            .all(|e| c.endpoint_override(*e).is_none()));
    }

    #[test]
    fn keeps_the_issuer_exactly_as_given() {
        let mut input = valid_input();
        input.issuer = Some("https://tenant.example.com/".into());
        assert_eq!(
            validate_config(input).unwrap().issuer,
            "https://tenant.example.com/"
        );
    }

    #[test]
    fn rejects_config_without_issuer() {
        let mut input = valid_input();
        input.issuer = None;
        assert_eq!(field_of(validate_config(input)), "issuer");
    }

    #[test]
    fn rejects_config_with_empty_issuer() {
        let mut input = valid_input();
        input.issuer = Some(String::new());
        assert_eq!(field_of(validate_config(input)), "issuer");
    }

    #[test]
    fn rejects_config_without_client_id() {
        let mut input = valid_input();
        input.client_id = None;
        assert_eq!(field_of(validate_config(input)), "clientId");
    }

    #[test]
    fn rejects_client_id_with_whitespace() {
        let mut input = valid_input();
        input.client_id = Some("0oa1 spa".into());
        assert_eq!(field_of(validate_config(input)), "clientId");
    }

    #[test]
    fn rejects_plain_http_issuer_on_a_public_host() {
        let mut input = valid_input();
        input.issuer = Some("http://dev-1.okta.com".into());
        let err = validate_config(input).unwrap_err();
        assert_eq!(err.code(), "invalid_config");
        assert!(
            err.message().contains("issuer must use https"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn accepts_plain_http_issuer_on_loopback() {
        for issuer in [
            "http://127.0.0.1:4000",
            "http://localhost:4001/oauth2/default",
            "http://[::1]:4000",
        ] {
            let mut input = valid_input();
            input.issuer = Some(issuer.into());
            assert!(validate_config(input).is_ok(), "{issuer}");
        }
    }

    #[test]
    fn rejects_issuer_that_only_looks_like_loopback() {
        let mut input = valid_input();
        input.issuer = Some("http://127.0.0.1.evil.example".into());
        assert_eq!(field_of(validate_config(input)), "issuer");
    }

    #[test]
    fn rejects_issuer_with_query_or_fragment() {
        for issuer in ["https://dev-1.okta.com?x=1", "https://dev-1.okta.com#x"] {
            let mut input = valid_input();
            input.issuer = Some(issuer.into());
            assert_eq!(field_of(validate_config(input)), "issuer", "{issuer}");
        }
    }

    #[test]
    fn rejects_issuer_with_credentials() {
        let mut input = valid_input();
        input.issuer = Some("https://user:pw@dev-1.okta.com".into());
        assert_eq!(field_of(validate_config(input)), "issuer");
    }

    #[test]
    fn rejects_relative_redirect_uri() {
        for uri in ["/callback", "callback", "//app.example/callback"] {
            let mut input = valid_input();
            input.redirect_uri = Some(uri.into());
            let err = validate_config(input).unwrap_err();
            assert_eq!(
                err.message(),
                "invalid_config: redirectUri must be an absolute URL (https://host/path)",
                "{uri}"
            );
        }
    }

    #[test]
    fn rejects_redirect_uri_with_fragment() {
        let mut input = valid_input();
        input.redirect_uri = Some("https://app.example/#/callback".into());
        assert_eq!(field_of(validate_config(input)), "redirectUri");
    }

    #[test]
    fn rejects_redirect_uri_with_a_non_http_scheme() {
        let mut input = valid_input();
        input.redirect_uri = Some("javascript://app.example/%0aalert(1)".into());
        assert_eq!(field_of(validate_config(input)), "redirectUri");
    }

    #[test]
    fn accepts_plain_http_redirect_uri() {
        // The provider matches redirect URIs against its registrations; http on a LAN dev host is legitimate.
        let mut input = valid_input();
        input.redirect_uri = Some("http://devbox.lan:8080/callback".into());
        assert!(validate_config(input).is_ok());
    }

    #[test]
    fn rejects_relative_post_logout_redirect_uri() {
        let mut input = valid_input();
        input.post_logout_redirect_uri = Some("/".into());
        assert_eq!(field_of(validate_config(input)), "postLogoutRedirectUri");
    }

    #[test]
    fn rejects_scopes_with_spaces_or_duplicates_or_none() {
        for scopes in [
            vec!["openid profile"],
            vec!["openid", "openid"],
            vec![],
            vec![""],
            vec!["a\"b"],
        ] {
            let mut input = valid_input();
            input.scopes = Some(scopes.iter().map(|s| s.to_string()).collect());
            assert_eq!(field_of(validate_config(input)), "scopes", "{scopes:?}");
        }
    }

    #[test]
    fn rejects_id_token_response_type_without_openid_scope() {
        let mut input = valid_input();
        input.response_type = Some("id_token token".into());
        input.scopes = Some(vec!["profile".into()]);
        assert_eq!(field_of(validate_config(input)), "scopes");
    }

    #[test]
    fn dpop_defaults_to_off_and_refuses_a_front_channel_access_token() {
        assert!(!validate_config(valid_input()).unwrap().dpop);
        let mut input = valid_input();
        input.dpop = Some(true);
        assert!(validate_config(input.clone()).unwrap().dpop);
        input.response_type = Some("code id_token".into());
        assert!(validate_config(input.clone()).unwrap().dpop);
        for rt in ["code token", "id_token token", "token"] {
            input.response_type = Some(rt.into());
            assert_eq!(
                validate_config(input.clone()),
                Err(invalid("dpop", DPOP_WITH_TOKEN)),
                "{rt}"
            );
        }
        input.dpop = Some(false);
        assert!(validate_config(input).is_ok());
    }

    #[test]
    fn accepts_every_combination_of_response_types() {
        for rt in [
            "code",
            "token",
            "id_token",
            "id_token token",
            "token id_token",
            "code id_token token",
        ] {
            let mut input = valid_input();
            input.response_type = Some(rt.into());
            let c = validate_config(input).unwrap();
            let mut want: Vec<&str> = rt.split(' ').collect();
            let mut got: Vec<&str> = c.response_type.as_str().split(' ').collect();
            want.sort();
            got.sort();
            assert_eq!(want, got);
        }
    }

    #[test]
    fn rejects_unknown_repeated_or_empty_response_types() {
        for rt in ["", "code code", "password", "code  token", "Code", " code"] {
            let mut input = valid_input();
            input.response_type = Some(rt.into());
            assert_eq!(field_of(validate_config(input)), "responseType", "{rt:?}");
        }
    }

    #[test]
    fn rejects_unknown_storage_name() {
        let mut input = valid_input();
        input.storage = Some(StorageInput::Name("cookie".into()));
        assert_eq!(field_of(validate_config(input)), "storage");
    }

    #[test]
    fn accepts_each_storage_kind() {
        let cases = [
            (StorageInput::Name("memory".into()), StorageKind::Memory),
            (
                StorageInput::Name("sessionStorage".into()),
                StorageKind::SessionStorage,
            ),
            (
                StorageInput::Name("localStorage".into()),
                StorageKind::LocalStorage,
            ),
            (StorageInput::Custom, StorageKind::Custom),
        ];
        for (given, want) in cases {
            let mut input = valid_input();
            input.storage = Some(given);
            assert_eq!(validate_config(input).unwrap().storage, want);
        }
    }

    type SetNumber = fn(&mut ConfigInput, f64);

    #[test]
    fn rejects_out_of_range_or_fractional_numbers() {
        let cases: [(SetNumber, &str, f64); 8] = [
            (
                |i, v| i.clock_skew_seconds = Some(v),
                "clockSkewSeconds",
                601.0,
            ),
            (
                |i, v| i.clock_skew_seconds = Some(v),
                "clockSkewSeconds",
                -1.0,
            ),
            (
                |i, v| i.expire_early_seconds = Some(v),
                "expireEarlySeconds",
                1.5,
            ),
            (|i, v| i.popup_timeout_ms = Some(v), "popupTimeoutMs", 0.0),
            (
                |i, v| i.silent_timeout_ms = Some(v),
                "silentTimeoutMs",
                f64::NAN,
            ),
            (
                |i, v| i.silent_timeout_ms = Some(v),
                "silentTimeoutMs",
                f64::INFINITY,
            ),
            (|i, v| i.http_timeout_ms = Some(v), "httpTimeoutMs", 0.0),
            (
                |i, v| i.http_timeout_ms = Some(v),
                "httpTimeoutMs",
                3_600_001.0,
            ),
        ];
        for (set, field, value) in cases {
            let mut input = valid_input();
            set(&mut input, value);
            assert_eq!(field_of(validate_config(input)), field, "{field}={value}");
        }
    }

    #[test]
    fn option_names_known_misspelt_and_not_for_browsers() {
        for name in OPTION_NAMES {
            assert_eq!(validate_option_name(name), Ok(()));
        }
        for name in ["clientID", "scope", "redirect_uri", ""] {
            assert_eq!(
                validate_option_name(name),
                Err(Error::UnknownConfigOption(name.into()))
            );
        }
        let err = validate_option_name("clientSecret").unwrap_err();
        assert_eq!(err.code(), "not_for_browsers");
        assert!(err.description().contains("RFC 6749 §2.1"));
    }

    #[test]
    fn rejects_unknown_popup_response_mode() {
        let mut input = valid_input();
        input.popup_response_mode = Some("query".into());
        assert_eq!(field_of(validate_config(input)), "popupResponseMode");
    }

    #[test]
    fn rejects_plain_http_endpoint_override_on_a_public_host() {
        let mut input = valid_input();
        input.endpoints[Endpoint::Token as usize] =
            Some("http://dev-1.okta.com/oauth2/v1/token".into());
        assert_eq!(field_of(validate_config(input)), "endpoints.token");
    }

    #[test]
    fn keeps_valid_endpoint_overrides() {
        let mut input = valid_input();
        input.endpoints[Endpoint::Keys as usize] = Some("https://keys.example/jwks".into());
        let c = validate_config(input).unwrap();
        assert_eq!(
            c.endpoint_override(Endpoint::Keys),
            Some("https://keys.example/jwks")
        );
        assert_eq!(c.endpoint_override(Endpoint::Token), None);
    }

    #[test]
    fn endpoint_keys_are_the_okta_path_names() {
        let keys: Vec<_> = Endpoint::ALL.iter().map(|e| e.key()).collect();
        assert_eq!(
            keys,
            [
                "authorize",
                "token",
                "keys",
                "userinfo",
                "introspect",
                "revoke",
                "logout"
            ]
        );
    }
}
