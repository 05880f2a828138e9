//! Where the provider's endpoints are: derived from Okta's URL conventions when the issuer is
//! an Okta authorization server, read from the discovery document otherwise (OpenID Connect
//! Discovery 1.0), and in both cases replaced by the app's explicit `endpoints` overrides.
//!
//! Telling an Okta issuer apart: its host is a subdomain of one of Okta's domains
//! ([`OKTA_DOMAINS`]) and its path is empty (the org authorization server,
//! `https://x.okta.com` -> `https://x.okta.com/oauth2/v1/...`) or `/oauth2/{id}` (a custom
//! authorization server -> `https://x.okta.com/oauth2/{id}/v1/...`). The path alone cannot
//! decide it: `https://accounts.example` has an empty path too, and guessing Okta paths for
//! another provider would send the user to pages that do not exist. Every other issuer,
//! Okta behind a custom domain included, goes through discovery, which Okta serves as well.

use super::config::{ClientConfig, Endpoint};
use super::http::{error_from_response, HttpResponse};
use super::json::{self, Value};
use super::response::IssParameter;
use super::url::parse_http_url;
use super::Error;

/// The domains Okta serves organisations from (`{org}.okta.com`, ...). An issuer on a
/// subdomain of one of these has Okta's endpoint paths.
pub const OKTA_DOMAINS: [&str; 5] = [
    "okta.com",
    "oktapreview.com",
    "okta-emea.com",
    "okta-gov.com",
    "okta.mil",
];

/// What kind of authorization server an issuer names, by Okta's conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssuerShape {
    /// Okta's org authorization server: an Okta host and an empty path.
    OktaOrg,
    /// An Okta custom authorization server: an Okta host and the path `/oauth2/{id}`.
    OktaCustom,
    /// Anything else: another provider, or Okta behind a custom domain. Needs discovery.
    Other,
}

/// Tells the three kinds of issuer apart (see the module documentation). A trailing `/`
/// on the issuer is ignored here.
pub fn issuer_shape(issuer: &str) -> IssuerShape {
    let Ok(parts) = parse_http_url(issuer) else {
        return IssuerShape::Other;
    };
    if parts.userinfo.is_some() || parts.query.is_some() || parts.fragment.is_some() {
        return IssuerShape::Other;
    }
    let host = parts.host;
    let okta_host = OKTA_DOMAINS.iter().any(|domain| {
        host.len() > domain.len() + 1
            && host
                .get(host.len() - domain.len()..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case(domain))
            && host.as_bytes().get(host.len() - domain.len() - 1) == Some(&b'.')
    });
    if !okta_host {
        return IssuerShape::Other;
    }
    let path = parts.path.strip_suffix('/').unwrap_or(parts.path);
    if path.is_empty() {
        return IssuerShape::OktaOrg;
    }
    match path.strip_prefix("/oauth2/") {
        // `/oauth2/v1` is where the org server's endpoints live, not a server id.
        Some(id) if !id.is_empty() && !id.contains('/') && id != "v1" => IssuerShape::OktaCustom,
        _ => IssuerShape::Other,
    }
}

/// The provider's endpoints. Only [`derive_endpoints`] and [`process_discovery_response`]
/// build one, so every URL in it is https (or http on a loopback host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    authorize: String,
    token: String,
    keys: String,
    userinfo: Option<String>,
    introspect: Option<String>,
    revoke: Option<String>,
    logout: Option<String>,
}

impl Endpoints {
    /// The authorization endpoint (RFC 6749 §3.1).
    pub fn authorize(&self) -> &str {
        &self.authorize
    }

    /// The token endpoint (RFC 6749 §3.2).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The JWK set (`jwks_uri`; Okta's `/v1/keys`).
    pub fn keys(&self) -> &str {
        &self.keys
    }

    /// The userinfo endpoint (OpenID Connect Core 1.0 §5.3), if the provider has one.
    pub fn userinfo(&self) -> Option<&str> {
        self.userinfo.as_deref()
    }

    /// The introspection endpoint (RFC 7662), if any.
    pub fn introspect(&self) -> Option<&str> {
        self.introspect.as_deref()
    }

    /// The revocation endpoint (RFC 7009), if any.
    pub fn revoke(&self) -> Option<&str> {
        self.revoke.as_deref()
    }

    /// The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0; Okta's `/v1/logout`).
    pub fn logout(&self) -> Option<&str> {
        self.logout.as_deref()
    }

    /// One endpoint by its configuration name.
    pub fn get(&self, endpoint: Endpoint) -> Option<&str> {
        match endpoint {
            Endpoint::Authorize => Some(&self.authorize),
            Endpoint::Token => Some(&self.token),
            Endpoint::Keys => Some(&self.keys),
            Endpoint::Userinfo => self.userinfo(),
            Endpoint::Introspect => self.introspect(),
            Endpoint::Revoke => self.revoke(),
            Endpoint::Logout => self.logout(),
        }
    }
}

/// The endpoints known without discovery, overrides first:
///
/// - An Okta issuer ([`issuer_shape`]): Okta's paths under `{issuer}/oauth2/v1/` (org) or
///   `{issuer}/v1/` (custom), each replaced by its override if the app gave one.
/// - Any other issuer: only when the app overrides `authorize`, `token` and `keys` (the
///   optional ones are then taken from the overrides, or absent).
/// - Otherwise `None`: fetch [`discovery_url`] and use [`process_discovery_response`].
pub fn derive_endpoints(config: &ClientConfig) -> Option<Endpoints> {
    let base = config
        .issuer
        .strip_suffix('/')
        .unwrap_or(config.issuer.as_str());
    let prefix = match issuer_shape(&config.issuer) {
        IssuerShape::OktaOrg => "/oauth2/v1/",
        IssuerShape::OktaCustom => "/v1/",
        IssuerShape::Other => {
            let o = |e| config.endpoint_override(e).map(str::to_owned);
            return Some(Endpoints {
                authorize: o(Endpoint::Authorize)?,
                token: o(Endpoint::Token)?,
                keys: o(Endpoint::Keys)?,
                userinfo: o(Endpoint::Userinfo),
                introspect: o(Endpoint::Introspect),
                revoke: o(Endpoint::Revoke),
                logout: o(Endpoint::Logout),
            });
        }
    };
    let url = |endpoint: Endpoint| match config.endpoint_override(endpoint) {
        Some(url) => url.to_owned(),
        None => {
            let mut s = String::with_capacity(base.len() + prefix.len() + 10);
            s.push_str(base);
            s.push_str(prefix);
            s.push_str(endpoint.key());
            s
        }
    };
    Some(Endpoints {
        authorize: url(Endpoint::Authorize),
        token: url(Endpoint::Token),
        keys: url(Endpoint::Keys),
        userinfo: Some(url(Endpoint::Userinfo)),
        introspect: Some(url(Endpoint::Introspect)),
        revoke: Some(url(Endpoint::Revoke)),
        logout: Some(url(Endpoint::Logout)),
    })
}

/// OpenID Connect Discovery 1.0 §4.1: `{issuer}/.well-known/openid-configuration`, a
/// terminating `/` of the issuer removed first so that no `//` appears.
pub fn discovery_url(issuer: &str) -> String {
    const WELL_KNOWN: &str = "/.well-known/openid-configuration";
    let base = issuer.strip_suffix('/').unwrap_or(issuer);
    let mut s = String::with_capacity(base.len() + WELL_KNOWN.len());
    s.push_str(base);
    s.push_str(WELL_KNOWN);
    s
}

/// A checked discovery document: the issuer matched, the endpoints are usable, and the
/// app's overrides are applied. Only [`process_discovery_response`] builds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    issuer: String,
    endpoints: Endpoints,
    response_modes_supported: Option<Vec<String>>,
    id_token_signing_alg_values_supported: Option<Vec<String>>,
    code_challenge_methods_supported: Option<Vec<String>>,
    dpop_signing_alg_values_supported: Option<Vec<String>>,
    iss_parameter: IssParameter,
}

impl Discovery {
    /// The issuer, equal to the configured one.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The endpoints, overrides applied.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// `response_modes_supported`, as published; `None` if absent.
    pub fn response_modes_supported(&self) -> Option<&[String]> {
        self.response_modes_supported.as_deref()
    }

    /// Whether `mode` is supported. OpenID Connect Discovery 1.0 §3: when
    /// `response_modes_supported` is omitted, the default is `["query", "fragment"]`.
    pub fn supports_response_mode(&self, mode: &str) -> bool {
        match &self.response_modes_supported {
            Some(modes) => modes.iter().any(|m| m == mode),
            None => mode == "query" || mode == "fragment",
        }
    }

    /// `id_token_signing_alg_values_supported`, as published; `None` if absent.
    pub fn id_token_signing_alg_values_supported(&self) -> Option<&[String]> {
        self.id_token_signing_alg_values_supported.as_deref()
    }

    /// `code_challenge_methods_supported` (RFC 8414 §2), as published; `None` if absent.
    pub fn code_challenge_methods_supported(&self) -> Option<&[String]> {
        self.code_challenge_methods_supported.as_deref()
    }

    /// `dpop_signing_alg_values_supported` (RFC 9449 §5.1), as published; `None` if
    /// absent (the provider does not say it does DPoP).
    pub fn dpop_signing_alg_values_supported(&self) -> Option<&[String]> {
        self.dpop_signing_alg_values_supported.as_deref()
    }

    /// RFC 9207 §3: [`IssParameter::Required`] when the document says
    /// `authorization_response_iss_parameter_supported: true`, so that a response without
    /// `iss` is then refused (RFC 9207 §2.4).
    pub fn iss_parameter(&self) -> IssParameter {
        self.iss_parameter
    }
}

const CONTEXT: &str = "discovery document";

fn bad(problem: &'static str) -> Error {
    Error::InvalidResponse {
        context: CONTEXT,
        problem,
    }
}

/// The endpoint members of a discovery document, with their configuration names and the
/// problems reported for them.
struct Member {
    name: &'static str,
    endpoint: Endpoint,
    required: bool,
    missing: &'static str,
    invalid: &'static str,
}

macro_rules! member {
    ($name:literal, $endpoint:expr, $required:expr) => {
        Member {
            name: $name,
            endpoint: $endpoint,
            required: $required,
            missing: concat!($name, " is missing"),
            invalid: concat!(
                $name,
                " must be an absolute https URL (plain http only on a loopback host), without user:password@ or #fragment"
            ),
        }
    };
}

const MEMBERS: [Member; 7] = [
    member!("authorization_endpoint", Endpoint::Authorize, true),
    member!("token_endpoint", Endpoint::Token, true),
    member!("jwks_uri", Endpoint::Keys, true),
    member!("userinfo_endpoint", Endpoint::Userinfo, false),
    member!("introspection_endpoint", Endpoint::Introspect, false),
    member!("revocation_endpoint", Endpoint::Revoke, false),
    member!("end_session_endpoint", Endpoint::Logout, false),
];

/// Reads the response to a GET of [`discovery_url`] (OpenID Connect Discovery 1.0 §4.2):
///
/// - Status 200 with a JSON object; another status gives [`Error::Provider`] when the body
///   is an OAuth error object (`error`, `error_description`) or Okta's API error object
///   (`errorCode`, `errorSummary`), [`Error::UnexpectedStatus`] otherwise.
/// - §4.3: `issuer` must equal `config.issuer` exactly, byte for byte
///   ([`Error::IssuerMismatch`] with context `"discovery"`): a document for another
///   issuer would let that issuer's tokens in.
/// - §3: `authorization_endpoint`, `token_endpoint` and `jwks_uri` are required, unless the
///   app overrides that endpoint.
/// - Every endpoint present must be https, or http on a loopback host, without
///   `user:password@` or a fragment: tokens and keys travel over them. A document with an
///   unusable endpoint is refused as a whole, even one the app overrides, since it is
///   broken or tampered with.
/// - `response_modes_supported`, `id_token_signing_alg_values_supported`,
///   `code_challenge_methods_supported` and `dpop_signing_alg_values_supported` (RFC 9449
///   §5.1), when present, must be arrays of strings;
///   `authorization_response_iss_parameter_supported` (RFC 9207 §3) a boolean.
/// - The app's overrides replace the discovered endpoints.
pub fn process_discovery_response(
    status: u16,
    body: &[u8],
    config: &ClientConfig,
) -> Result<Discovery, Error> {
    if status != 200 {
        return Err(error_from_response(&HttpResponse {
            status,
            content_type: None,
            www_authenticate: None,
            body,
        }));
    }
    let doc = json::parse(body).map_err(|_| bad("is not valid JSON"))?;
    if doc.as_object().is_none() {
        return Err(bad("is not a JSON object"));
    }

    let issuer = match doc.get("issuer") {
        Some(Value::String(s)) => s,
        None => return Err(bad("issuer is missing")),
        Some(_) => return Err(bad("issuer is not a string")),
    };
    if *issuer != config.issuer {
        return Err(Error::IssuerMismatch {
            context: "discovery",
            expected: config.issuer.clone(),
            received: issuer.clone(),
        });
    }

    let mut found: [Option<String>; MEMBERS.len()] = Default::default();
    for (slot, member) in found.iter_mut().zip(MEMBERS.iter()) {
        let discovered = match doc.get(member.name) {
            None => None,
            Some(Value::String(url)) if is_usable_endpoint(url) => Some(url.clone()),
            Some(_) => return Err(bad(member.invalid)),
        };
        *slot = match config.endpoint_override(member.endpoint) {
            Some(url) => Some(url.to_owned()),
            None if member.required && discovered.is_none() => return Err(bad(member.missing)),
            None => discovered,
        };
    }
    let [authorize, token, keys, userinfo, introspect, revoke, logout] = found;
    // The three required ones are Some here: the loop returned if one was missing.
    let endpoints = Endpoints {
        authorize: authorize.unwrap_or_default(),
        token: token.unwrap_or_default(),
        keys: keys.unwrap_or_default(),
        userinfo,
        introspect,
        revoke,
        logout,
    };

    let iss_parameter = match doc.get("authorization_response_iss_parameter_supported") {
        None | Some(Value::Bool(false)) => IssParameter::CheckIfPresent,
        Some(Value::Bool(true)) => IssParameter::Required,
        Some(_) => {
            return Err(bad(
                "authorization_response_iss_parameter_supported is not a boolean",
            ))
        }
    };

    Ok(Discovery {
        issuer: issuer.clone(),
        endpoints,
        response_modes_supported: string_array(
            &doc,
            "response_modes_supported",
            "response_modes_supported is not an array of strings",
        )?,
        id_token_signing_alg_values_supported: string_array(
            &doc,
            "id_token_signing_alg_values_supported",
            "id_token_signing_alg_values_supported is not an array of strings",
        )?,
        code_challenge_methods_supported: string_array(
            &doc,
            "code_challenge_methods_supported",
            "code_challenge_methods_supported is not an array of strings",
        )?,
        dpop_signing_alg_values_supported: string_array(
            &doc,
            "dpop_signing_alg_values_supported",
            "dpop_signing_alg_values_supported is not an array of strings",
        )?,
        iss_parameter,
    })
}

fn is_usable_endpoint(url: &str) -> bool {
    match parse_http_url(url) {
        Ok(parts) => {
            (parts.is_https() || parts.is_loopback())
                && parts.userinfo.is_none()
                && parts.fragment.is_none()
        }
        Err(_) => false,
    }
}

fn string_array(
    doc: &Value,
    member: &str,
    problem: &'static str,
) -> Result<Option<Vec<String>>, Error> {
    match doc.get(member) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or(bad(problem)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(bad(problem)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::config::{validate_config, ConfigInput};
    use crate::protocol::testing::{mutations, random_inputs};

    const OKTA_DOC: &str = r#"{
        "issuer": "https://dev-1.okta.com/oauth2/default",
        "authorization_endpoint": "https://dev-1.okta.com/oauth2/default/v1/authorize",
        "token_endpoint": "https://dev-1.okta.com/oauth2/default/v1/token",
        "userinfo_endpoint": "https://dev-1.okta.com/oauth2/default/v1/userinfo",
        "jwks_uri": "https://dev-1.okta.com/oauth2/default/v1/keys",
        "response_types_supported": ["code", "id_token", "code id_token", "code token", "id_token token", "code id_token token"],
        "response_modes_supported": ["query", "fragment", "form_post", "okta_post_message"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "introspection_endpoint": "https://dev-1.okta.com/oauth2/default/v1/introspect",
        "revocation_endpoint": "https://dev-1.okta.com/oauth2/default/v1/revoke",
        "end_session_endpoint": "https://dev-1.okta.com/oauth2/default/v1/logout"
    }"#;

    fn config(issuer: &str) -> ClientConfig {
        validate_config(ConfigInput {
            issuer: Some(issuer.into()),
            client_id: Some("0oa1spa".into()),
            redirect_uri: Some("https://app.example/callback".into()),
            ..ConfigInput::default()
        })
        .unwrap()
    }

    fn config_with(issuer: &str, overrides: &[(Endpoint, &str)]) -> ClientConfig {
        let mut input = ConfigInput {
            issuer: Some(issuer.into()),
            client_id: Some("0oa1spa".into()),
            redirect_uri: Some("https://app.example/callback".into()),
            ..ConfigInput::default()
        };
        for (endpoint, url) in overrides {
            input.endpoints[*endpoint as usize] = Some((*url).into());
        }
        validate_config(input).unwrap()
    }

    fn okta() -> ClientConfig {
        config("https://dev-1.okta.com/oauth2/default")
    }

    fn process(doc: &str) -> Result<Discovery, Error> {
        process_discovery_response(200, doc.as_bytes(), &okta())
    }

    fn edit(member: &str, value: Option<&str>) -> String {
        let mut v: serde_json::Value = serde_json::from_str(OKTA_DOC).unwrap();
        let obj = v.as_object_mut().unwrap();
        match value {
            Some(json) => {
                obj.insert(member.into(), serde_json::from_str(json).unwrap());
            }
            None => {
                obj.remove(member);
            }
        }
        v.to_string()
    }

    fn problem_of(r: Result<Discovery, Error>) -> &'static str {
        match r {
            Err(Error::InvalidResponse {
                context: "discovery document",
                problem,
            }) => problem,
            other => panic!("expected invalid discovery document, got {other:?}"),
        }
    }

    #[test]
    fn org_server_endpoints_follow_okta_paths() {
        let e = derive_endpoints(&config("https://dev-1.okta.com")).unwrap();
        assert_eq!(e.authorize(), "https://dev-1.okta.com/oauth2/v1/authorize");
        assert_eq!(e.token(), "https://dev-1.okta.com/oauth2/v1/token");
        assert_eq!(e.keys(), "https://dev-1.okta.com/oauth2/v1/keys");
        assert_eq!(
            e.userinfo(),
            Some("https://dev-1.okta.com/oauth2/v1/userinfo")
        );
        assert_eq!(
            e.introspect(),
            Some("https://dev-1.okta.com/oauth2/v1/introspect")
        );
        assert_eq!(e.revoke(), Some("https://dev-1.okta.com/oauth2/v1/revoke"));
        assert_eq!(e.logout(), Some("https://dev-1.okta.com/oauth2/v1/logout"));
    }

    #[test]
    fn custom_server_endpoints_follow_okta_paths() {
        let e = derive_endpoints(&okta()).unwrap();
        assert_eq!(
            e.authorize(),
            "https://dev-1.okta.com/oauth2/default/v1/authorize"
        );
        assert_eq!(e.keys(), "https://dev-1.okta.com/oauth2/default/v1/keys");
        assert_eq!(
            e.get(Endpoint::Logout),
            Some("https://dev-1.okta.com/oauth2/default/v1/logout")
        );
    }

    #[test]
    fn trailing_slash_on_the_issuer_gives_no_double_slash() {
        let e = derive_endpoints(&config("https://dev-1.okta.com/")).unwrap();
        assert_eq!(e.token(), "https://dev-1.okta.com/oauth2/v1/token");
        let e = derive_endpoints(&config("https://dev-1.okta.com/oauth2/aus1/")).unwrap();
        assert_eq!(e.token(), "https://dev-1.okta.com/oauth2/aus1/v1/token");
        assert_eq!(
            discovery_url("https://dev-1.okta.com/oauth2/aus1/"),
            "https://dev-1.okta.com/oauth2/aus1/.well-known/openid-configuration"
        );
    }

    #[test]
    fn discovery_url_appends_the_well_known_path() {
        assert_eq!(
            discovery_url("https://dev-1.okta.com"),
            "https://dev-1.okta.com/.well-known/openid-configuration"
        );
        assert_eq!(
            discovery_url("http://127.0.0.1:4001/oauth2/default"),
            "http://127.0.0.1:4001/oauth2/default/.well-known/openid-configuration"
        );
    }

    #[test]
    fn tells_issuer_shapes_apart_by_okta_host_and_path() {
        let cases = [
            ("https://dev-1.okta.com", IssuerShape::OktaOrg),
            ("https://DEV-1.OKTA.COM/", IssuerShape::OktaOrg),
            ("https://acme.oktapreview.com", IssuerShape::OktaOrg),
            (
                "https://acme.okta-emea.com/oauth2/default",
                IssuerShape::OktaCustom,
            ),
            (
                "https://dev-1.okta.com/oauth2/aus1abc",
                IssuerShape::OktaCustom,
            ),
            // Not Okta's paths: a deeper path, the org server's own v1, an unknown prefix.
            ("https://dev-1.okta.com/oauth2/a/b", IssuerShape::Other),
            ("https://dev-1.okta.com/oauth2/v1", IssuerShape::Other),
            ("https://dev-1.okta.com/oauth2/", IssuerShape::Other),
            ("https://dev-1.okta.com/tenant", IssuerShape::Other),
            // Not Okta's hosts.
            ("https://accounts.example", IssuerShape::Other),
            ("https://okta.com", IssuerShape::Other),
            ("https://evilokta.com", IssuerShape::Other),
            ("https://dev-1.okta.com.evil.example", IssuerShape::Other),
            (
                "https://login.acme.example/oauth2/default",
                IssuerShape::Other,
            ),
            ("http://127.0.0.1:4000", IssuerShape::Other),
            ("not a url", IssuerShape::Other),
        ];
        for (issuer, shape) in cases {
            assert_eq!(issuer_shape(issuer), shape, "{issuer}");
        }
    }

    #[test]
    fn other_providers_need_discovery() {
        assert_eq!(derive_endpoints(&config("https://accounts.example")), None);
        // Partial overrides are not enough to skip discovery.
        let c = config_with(
            "https://accounts.example",
            &[(Endpoint::Authorize, "https://accounts.example/auth")],
        );
        assert_eq!(derive_endpoints(&c), None);
    }

    #[test]
    fn other_providers_skip_discovery_when_the_required_endpoints_are_overridden() {
        let c = config_with(
            "https://accounts.example",
            &[
                (Endpoint::Authorize, "https://accounts.example/auth"),
                (Endpoint::Token, "https://accounts.example/token"),
                (Endpoint::Keys, "https://accounts.example/jwks"),
            ],
        );
        let e = derive_endpoints(&c).unwrap();
        assert_eq!(e.authorize(), "https://accounts.example/auth");
        assert_eq!(e.keys(), "https://accounts.example/jwks");
        assert_eq!(e.userinfo(), None);
    }

    #[test]
    fn overrides_win_over_okta_conventions() {
        let c = config_with(
            "https://dev-1.okta.com",
            &[(Endpoint::Keys, "https://keys.example/jwks")],
        );
        let e = derive_endpoints(&c).unwrap();
        assert_eq!(e.keys(), "https://keys.example/jwks");
        assert_eq!(e.token(), "https://dev-1.okta.com/oauth2/v1/token");
    }

    #[test]
    fn reads_an_okta_discovery_document() {
        let d = process(OKTA_DOC).unwrap();
        assert_eq!(d.issuer(), "https://dev-1.okta.com/oauth2/default");
        assert_eq!(d.endpoints(), &derive_endpoints(&okta()).unwrap());
        assert_eq!(
            d.response_modes_supported().unwrap(),
            ["query", "fragment", "form_post", "okta_post_message"]
        );
        assert!(d.supports_response_mode("okta_post_message"));
        assert!(!d.supports_response_mode("web_message"));
        assert_eq!(
            d.id_token_signing_alg_values_supported().unwrap(),
            ["RS256"]
        );
        assert_eq!(d.code_challenge_methods_supported().unwrap(), ["S256"]);
        assert_eq!(d.iss_parameter(), IssParameter::CheckIfPresent);
        assert_eq!(d.dpop_signing_alg_values_supported(), None);
    }

    #[test]
    fn reads_dpop_signing_algs() {
        let doc = edit(
            "dpop_signing_alg_values_supported",
            Some(r#"["RS256","ES256"]"#),
        );
        assert_eq!(
            process(&doc).unwrap().dpop_signing_alg_values_supported(),
            Some(&["RS256".to_owned(), "ES256".to_owned()][..])
        );
    }

    #[test]
    fn rejects_discovery_document_for_another_issuer() {
        for issuer in [
            r#""https://evil.example/oauth2/default""#,
            r#""https://dev-1.okta.com/oauth2/default/""#,
            r#""https://DEV-1.okta.com/oauth2/default""#,
        ] {
            let r = process(&edit("issuer", Some(issuer)));
            assert_eq!(
                r,
                Err(Error::IssuerMismatch {
                    context: "discovery",
                    expected: "https://dev-1.okta.com/oauth2/default".into(),
                    received: serde_json::from_str::<String>(issuer).unwrap(),
                })
            );
        }
    }

    #[test]
    fn rejects_discovery_document_without_issuer() {
        assert_eq!(
            problem_of(process(&edit("issuer", None))),
            "issuer is missing"
        );
        assert_eq!(
            problem_of(process(&edit("issuer", Some("1")))),
            "issuer is not a string"
        );
    }

    #[test]
    fn rejects_discovery_document_without_a_required_endpoint() {
        for member in ["authorization_endpoint", "token_endpoint", "jwks_uri"] {
            let problem = problem_of(process(&edit(member, None)));
            assert!(problem.starts_with(member), "{problem}");
            assert!(problem.ends_with("is missing"), "{problem}");
        }
    }

    #[test]
    fn optional_endpoints_may_be_absent() {
        let mut doc = OKTA_DOC.to_string();
        for member in [
            "userinfo_endpoint",
            "introspection_endpoint",
            "revocation_endpoint",
            "end_session_endpoint",
        ] {
            doc = {
                let mut v: serde_json::Value = serde_json::from_str(&doc).unwrap();
                v.as_object_mut().unwrap().remove(member);
                v.to_string()
            };
        }
        let d = process(&doc).unwrap();
        assert_eq!(d.endpoints().userinfo(), None);
        assert_eq!(d.endpoints().logout(), None);
    }

    #[test]
    fn overridden_required_endpoint_may_be_absent_from_the_document() {
        let c = config_with(
            "https://dev-1.okta.com/oauth2/default",
            &[(Endpoint::Keys, "https://keys.example/jwks")],
        );
        let d = process_discovery_response(200, edit("jwks_uri", None).as_bytes(), &c).unwrap();
        assert_eq!(d.endpoints().keys(), "https://keys.example/jwks");
    }

    #[test]
    fn overrides_win_over_discovered_endpoints() {
        let c = config_with(
            "https://dev-1.okta.com/oauth2/default",
            &[(Endpoint::Token, "https://proxy.example/token")],
        );
        let d = process_discovery_response(200, OKTA_DOC.as_bytes(), &c).unwrap();
        assert_eq!(d.endpoints().token(), "https://proxy.example/token");
        assert_eq!(
            d.endpoints().authorize(),
            "https://dev-1.okta.com/oauth2/default/v1/authorize"
        );
    }

    #[test]
    fn rejects_plain_http_endpoint_on_a_public_host() {
        for member in [
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "userinfo_endpoint",
            "introspection_endpoint",
            "revocation_endpoint",
            "end_session_endpoint",
        ] {
            let doc = edit(member, Some(r#""http://dev-1.okta.com/x""#));
            let problem = problem_of(process(&doc));
            assert!(problem.starts_with(member), "{problem}");
            assert!(problem.contains("https"), "{problem}");
        }
    }

    #[test]
    fn rejects_endpoint_that_is_not_a_usable_url() {
        for value in [
            r#""/v1/token""#,
            r#""javascript://x/%0aalert(1)""#,
            r#""https://u:p@dev-1.okta.com/v1/token""#,
            r#""https://dev-1.okta.com/v1/token#x""#,
            "1",
            "null",
        ] {
            let problem = problem_of(process(&edit("token_endpoint", Some(value))));
            assert!(problem.starts_with("token_endpoint"), "{value}");
        }
    }

    #[test]
    fn accepts_plain_http_endpoints_on_loopback() {
        let doc = r#"{"issuer":"http://127.0.0.1:4000",
            "authorization_endpoint":"http://127.0.0.1:4000/oauth2/v1/authorize",
            "token_endpoint":"http://127.0.0.1:4000/oauth2/v1/token",
            "jwks_uri":"http://localhost:4000/oauth2/v1/keys",
            "authorization_response_iss_parameter_supported":true}"#;
        let d = process_discovery_response(200, doc.as_bytes(), &config("http://127.0.0.1:4000"))
            .unwrap();
        assert_eq!(d.endpoints().keys(), "http://localhost:4000/oauth2/v1/keys");
        assert_eq!(d.iss_parameter(), IssParameter::Required);
        assert!(d.supports_response_mode("query"));
        assert!(!d.supports_response_mode("okta_post_message"));
    }

    #[test]
    fn rejects_metadata_lists_that_are_not_arrays_of_strings() {
        for member in [
            "response_modes_supported",
            "id_token_signing_alg_values_supported",
            "code_challenge_methods_supported",
            "dpop_signing_alg_values_supported",
        ] {
            for value in [r#""S256""#, "[1]", "{}"] {
                let problem = problem_of(process(&edit(member, Some(value))));
                assert!(problem.starts_with(member), "{member} {value}");
            }
        }
    }

    #[test]
    fn rejects_iss_parameter_flag_that_is_not_a_boolean() {
        let doc = edit(
            "authorization_response_iss_parameter_supported",
            Some(r#""true""#),
        );
        assert_eq!(
            problem_of(process(&doc)),
            "authorization_response_iss_parameter_supported is not a boolean"
        );
    }

    #[test]
    fn rejects_body_that_is_not_a_json_object() {
        assert_eq!(problem_of(process("<html>")), "is not valid JSON");
        assert_eq!(problem_of(process("[]")), "is not a JSON object");
        assert_eq!(
            problem_of(process(r#"{"issuer":"a","issuer":"b"}"#)),
            "is not valid JSON"
        );
    }

    #[test]
    fn non_200_with_oauth_error_is_a_provider_error() {
        let r = process_discovery_response(
            400,
            br#"{"error":"invalid_request","error_description":"bad"}"#,
            &okta(),
        );
        assert_eq!(
            r,
            Err(Error::Provider {
                error: "invalid_request".into(),
                description: Some("bad".into()),
            })
        );
    }

    #[test]
    fn non_200_with_okta_api_error_is_a_provider_error() {
        let r = process_discovery_response(
            404,
            br#"{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: default (AuthorizationServer)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}"#,
            &okta(),
        );
        assert_eq!(
            r,
            Err(Error::Provider {
                error: "E0000007".into(),
                description: Some(
                    "Not found: Resource not found: default (AuthorizationServer) (errorId oae1)"
                        .into()
                ),
            })
        );
    }

    #[test]
    fn non_200_without_error_body_is_an_unexpected_status() {
        for (status, body) in [(500, "<html>oops</html>"), (302, ""), (200 + 1, OKTA_DOC)] {
            assert_eq!(
                process_discovery_response(status, body.as_bytes(), &okta()),
                Err(Error::UnexpectedStatus { status })
            );
        }
    }

    #[test]
    fn never_panics_on_any_document() {
        let mut inputs = mutations(OKTA_DOC.as_bytes(), 2000);
        inputs.extend(random_inputs(2000, 256));
        let c = okta();
        for body in &inputs {
            let _ = process_discovery_response(200, body, &c);
            let _ = process_discovery_response(400, body, &c);
            let s = String::from_utf8_lossy(body);
            let _ = issuer_shape(&s);
            let _ = discovery_url(&s);
        }
    }
}
