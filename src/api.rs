//! The `#[wasm_bindgen]` facade: the one place where JS values become Rust values.
//! Option objects are read once, errors leave as `AuthError`; everything else is plain Rust.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::protocol::config::{validate_config, ClientConfig, ConfigInput, Endpoint, StorageInput};
use crate::protocol::Error;

#[wasm_bindgen(module = "/js/auth-error.js")]
extern "C" {
    #[wasm_bindgen(js_name = AuthError)]
    type JsAuthError;

    #[wasm_bindgen(constructor, js_class = "AuthError")]
    fn new(
        code: &str,
        message: &str,
        description: &str,
        oauth_error: Option<String>,
    ) -> JsAuthError;
}

/// Turns a library error into the `AuthError` that JS catches.
pub fn to_js_error(error: &Error) -> JsValue {
    JsAuthError::new(
        error.code(),
        &error.message(),
        &error.description(),
        error.oauth_error().map(String::from),
    )
    .into()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_AUTH_CONFIG: &'static str = r#"
/** Where tokens are kept. `"memory"` (the default) is out of reach of scripts that read storage, but is lost on reload. */
export type TokenStorageOption = "memory" | "sessionStorage" | "localStorage" | TokenStorage;

/** An app-supplied store, in the shape of `window.localStorage`. */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Endpoint URLs that replace the ones derived from the issuer. Names follow Okta's paths (`/v1/keys` is the JWKS). */
export interface Endpoints {
  authorize: string;
  token: string;
  keys: string;
  userinfo: string;
  introspect: string;
  revoke: string;
  logout: string;
}

/**
 * The client configuration. Checked in full by `new AuthClient(config)`: a missing or unusable
 * value, or an option name this version does not know, throws `AuthError` with code `"invalid_config"`
 * and a message naming the option.
 */
export interface AuthConfig {
  /** The authorization server, exactly as its ID tokens name it: `https://{yourOktaDomain}` (org server) or `https://{yourOktaDomain}/oauth2/{id}` (custom server). https, or http on localhost / 127.0.0.0/8 / [::1] only; no query, no fragment. */
  issuer: string;
  /** The SPA's client id. */
  clientId: string;
  /** The absolute URL the provider sends responses to; registered with the provider. No fragment. */
  redirectUri: string;
  /** Where the provider sends the browser after sign-out; registered with the provider. */
  postLogoutRedirectUri?: string;
  /** Default `["openid", "profile", "email"]`. Must include `"openid"` when `responseType` asks for an `id_token`. */
  scopes?: string[];
  /** `"code"` (the default: authorization code with PKCE), `"token"`, `"id_token"`, or a space-separated combination. */
  responseType?: string;
  /** Default `"memory"`. Validated now; the token manager that uses it is not in this version yet. */
  storage?: TokenStorageOption;
  /** Leeway for `exp`, `iat` and `nbf`, in whole seconds from 0 to 600. Default 300. Not used by this version yet. */
  clockSkewSeconds?: number;
  /** Renew tokens this many seconds before they expire, 0 to 3600. Default 30. Not used by this version yet. */
  expireEarlySeconds?: number;
  /** How long a popup sign-in may take, in ms. Default 120000. Not used by this version yet. */
  popupTimeoutMs?: number;
  /** How long a silent (iframe) sign-in may take, in ms. Default 10000. Not used by this version yet. */
  silentTimeoutMs?: number;
  /** How the popup returns its response. Default `"okta_post_message"`. Not used by this version yet. */
  popupResponseMode?: "okta_post_message" | "web_message" | "callback";
  /** Endpoint overrides: https, or http on loopback only. Not used by this version yet. */
  endpoints?: Partial<Endpoints>;
  /** Renew tokens before they expire. Default `true`. Not used by this version yet. */
  autoRenew?: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The JS `AuthConfig` object handed to the constructor.
    #[wasm_bindgen(typescript_type = "AuthConfig")]
    pub type AuthConfigJs;
}

/// Signs users in with Okta or any OpenID Connect provider.
#[wasm_bindgen]
pub struct AuthClient {
    config: ClientConfig,
}

#[wasm_bindgen]
impl AuthClient {
    /// Checks the configuration and creates a client.
    /// @throws {AuthError} code `"invalid_config"`, with a message naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(config: AuthConfigJs) -> Result<AuthClient, JsValue> {
        read_config(&config)
            .and_then(validate_config)
            .map(|config| AuthClient { config })
            .map_err(|e| to_js_error(&e))
    }

    /// The issuer, exactly as configured.
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.config.issuer.clone()
    }

    /// The client id.
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> String {
        self.config.client_id.clone()
    }

    /// The redirect URI.
    #[wasm_bindgen(getter, js_name = redirectUri)]
    pub fn redirect_uri(&self) -> String {
        self.config.redirect_uri.clone()
    }

    /// The scopes that sign-in asks for, defaults applied.
    #[wasm_bindgen(getter)]
    pub fn scopes(&self) -> Vec<String> {
        self.config.scopes.clone()
    }

    /// The `response_type` that sign-in asks for, defaults applied.
    #[wasm_bindgen(getter, js_name = responseType)]
    pub fn response_type(&self) -> String {
        self.config.response_type.as_str().into()
    }
}

const KNOWN_OPTIONS: [&str; 14] = [
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
    "popupResponseMode",
    "endpoints",
    "autoRenew",
];

fn invalid(field: &'static str, problem: &'static str) -> Error {
    Error::InvalidConfig { field, problem }
}

/// `obj[key]`; `null` reads as absent. A throwing getter is a config error, not a crash.
fn get(obj: &JsValue, key: &str, field: &'static str) -> Result<Option<JsValue>, Error> {
    let value = Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| invalid(field, "could not be read"))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

fn get_string(obj: &JsValue, key: &str, field: &'static str) -> Result<Option<String>, Error> {
    get(obj, key, field)?
        .map(|v| v.as_string().ok_or(invalid(field, "must be a string")))
        .transpose()
}

fn get_number(obj: &JsValue, field: &'static str) -> Result<Option<f64>, Error> {
    get(obj, field, field)?
        .map(|v| v.as_f64().ok_or(invalid(field, "must be a number")))
        .transpose()
}

fn read_config(config: &JsValue) -> Result<ConfigInput, Error> {
    if !config.is_object() || Array::is_array(config) {
        return Err(invalid(
            "config",
            "must be an object with issuer, clientId and redirectUri",
        ));
    }
    for key in Object::keys(config.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !KNOWN_OPTIONS.contains(&key.as_str()) {
            return Err(Error::UnknownConfigOption(key));
        }
    }

    let scopes = match get(config, "scopes", "scopes")? {
        None => None,
        Some(v) if Array::is_array(&v) => Some(
            Array::from(&v)
                .iter()
                .map(|s| {
                    s.as_string()
                        .ok_or(invalid("scopes", "must be an array of strings"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(invalid("scopes", "must be an array of strings")),
    };

    let storage = match get(config, "storage", "storage")? {
        None => None,
        Some(v) => match v.as_string() {
            Some(name) => Some(StorageInput::Name(name)),
            None if ["getItem", "setItem", "removeItem"].iter().all(|m| {
                Reflect::get(&v, &JsValue::from_str(m)).is_ok_and(|f| f.is_instance_of::<Function>())
            }) =>
            {
                Some(StorageInput::Custom)
            }
            None => {
                return Err(invalid(
                    "storage",
                    "must be \"memory\", \"sessionStorage\", \"localStorage\" or an object with getItem, setItem and removeItem",
                ))
            }
        },
    };

    let mut endpoints: [Option<String>; Endpoint::ALL.len()] = Default::default();
    if let Some(obj) = get(config, "endpoints", "endpoints")? {
        if !obj.is_object() {
            return Err(invalid("endpoints", "must be an object of URLs"));
        }
        for endpoint in Endpoint::ALL {
            endpoints[endpoint as usize] = get_string(&obj, endpoint.key(), endpoint.field())?;
        }
    }

    let auto_renew = get(config, "autoRenew", "autoRenew")?
        .map(|v| {
            v.as_bool()
                .ok_or(invalid("autoRenew", "must be true or false"))
        })
        .transpose()?;

    Ok(ConfigInput {
        issuer: get_string(config, "issuer", "issuer")?,
        client_id: get_string(config, "clientId", "clientId")?,
        redirect_uri: get_string(config, "redirectUri", "redirectUri")?,
        post_logout_redirect_uri: get_string(
            config,
            "postLogoutRedirectUri",
            "postLogoutRedirectUri",
        )?,
        scopes,
        response_type: get_string(config, "responseType", "responseType")?,
        storage,
        clock_skew_seconds: get_number(config, "clockSkewSeconds")?,
        expire_early_seconds: get_number(config, "expireEarlySeconds")?,
        popup_timeout_ms: get_number(config, "popupTimeoutMs")?,
        silent_timeout_ms: get_number(config, "silentTimeoutMs")?,
        popup_response_mode: get_string(config, "popupResponseMode", "popupResponseMode")?,
        endpoints,
        auto_renew,
    })
}
