//! The `#[wasm_bindgen]` facade: the one place where JS values become Rust values.
//! Option objects are read once, errors leave as `AuthError`; everything else is plain Rust.

use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::browser::client::{Client, TokenSet};
use crate::browser::flow::SignInOptions;
use crate::browser::resource::SignOutOptions;
use crate::browser::tokens::{self, Which};
use crate::browser::{clock, flow, iframe, panic, popup, provider, redirect, resource};
use crate::protocol::config::{
    validate_config, validate_option_name, ConfigInput, Endpoint, StorageInput,
};
use crate::protocol::id_token::{Expect, IdTokenClaims, IdTokenExpectations, IdTokenSource};
use crate::protocol::json::Value;
use crate::protocol::resource::RevocableToken;
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
  /** Default `"memory"`: tokens held only inside the library are out of reach of an injected script that reads storage (XSS), at the price of a (silent) sign-in after each reload. `"localStorage"` survives reloads and is shared by the origin's tabs (readable by any script of the origin); `"sessionStorage"` survives reloads of one tab. One key per issuer and client id; a corrupt or foreign value is discarded with an `error` event. */
  storage?: TokenStorageOption;
  /** Leeway for `exp`, `iat`, `nbf` and `auth_time`, in whole seconds from 0 to 600. Default 300. */
  clockSkewSeconds?: number;
  /** Renew tokens this many seconds before they expire, 0 to 3600. Default 30: a token closer than this to its expiry is renewed before `getTokens()` and friends hand it out. */
  expireEarlySeconds?: number;
  /** How long a popup sign-in may take, in ms. Default 120000. */
  popupTimeoutMs?: number;
  /** How long a silent (iframe) sign-in may take, in ms. Default 10000. */
  silentTimeoutMs?: number;
  /** How long one request to the provider may take, its response body included, in ms: it is then aborted and fails with `timeout`. Default 30000. */
  httpTimeoutMs?: number;
  /** How a popup or silent sign-in returns its response. Default `"okta_post_message"`; `"callback"` means a page of yours at `redirectUri` posts `{type: "okta-auth-wasm:callback", search: location.search, hash: location.hash}` to `window.opener || window.parent`. */
  popupResponseMode?: "okta_post_message" | "web_message" | "callback";
  /** Endpoint overrides: https, or http on loopback only. */
  endpoints?: Partial<Endpoints>;
  /** Renew tokens in the background before they expire (a timer, re-checked on `visibilitychange` and `focus` since timers sleep in background tabs); failures fire `error`. Default `true`. */
  autoRenew?: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The JS `AuthConfig` object handed to the constructor.
    #[wasm_bindgen(typescript_type = "AuthConfig")]
    pub type AuthConfigJs;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Per-call sign-in options; each overrides the configuration for this request only. */
export interface SignInOptions {
  scopes?: string[];
  responseType?: string;
  responseMode?: "query" | "fragment" | "form_post" | "okta_post_message" | "web_message";
  /** `none`, `login`, `consent`, or a space-separated combination (`none` stands alone). */
  prompt?: string;
  display?: "page" | "popup";
  /** Seconds; the ID token's `auth_time` is then required and checked. */
  maxAge?: number;
  loginHint?: string;
  /** Okta: the identity provider id to sign in with. */
  idp?: string;
  idpScope?: string;
  /** Okta: a session token from the Authentication API. */
  sessionToken?: string;
  acrValues?: string;
  /** Your own state value (alphanumerics , . _ -); generated when absent. */
  state?: string;
  /** Your own nonce; generated when absent. */
  nonce?: string;
  /** Further authorize parameters; a name the library sets itself is refused. */
  extraParams?: Record<string, string>;
  /** Redirect sign-in only: any JSON-serialisable value, handed back by handleRedirect(). */
  appState?: unknown;
  /** Overrides the configured redirectUri for this request. */
  redirectUri?: string;
  /** Overrides the configured popupResponseMode for this popup or silent sign-in. */
  popupResponseMode?: "okta_post_message" | "web_message" | "callback";
}

/** The claims of a validated ID token: the standard ones typed, the rest as sent. */
export interface IdTokenClaims {
  iss: string; sub: string; aud: string | string[]; exp: number; iat: number;
  nonce?: string; auth_time?: number; azp?: string;
  [claim: string]: unknown;
}

export interface IdToken { value: string; claims: IdTokenClaims; expiresAt: number; issuer: string; clientId: string; }
export interface AccessToken { value: string; expiresAt?: number; scopes: string[]; tokenType: string; }
export interface RefreshToken { value: string; }
export interface Tokens { idToken?: IdToken; accessToken?: AccessToken; refreshToken?: RefreshToken; }

export interface AuthorizeUrl { url: string; state: string; nonce: string; codeVerifier?: string; }

export interface VerifyIdTokenOptions {
  /** The nonce sent with the request. Without it, the replay check is skipped. */
  nonce?: string;
  /** The access token that came with the ID token: its `at_hash` is checked when present. */
  accessToken?: string;
  /** A code that came with the ID token from the authorization endpoint (hybrid flow): `c_hash` is then required; so is `nonce`. */
  code?: string;
  /** The `max_age` sent: `auth_time` is then required and checked. */
  maxAge?: number;
  /** Seconds since the epoch: freezes the clock for this call. */
  now?: number;
}

/** The userinfo claims; `sub` equals the ID token's. */
export interface UserInfo { sub: string; [claim: string]: unknown; }

/** RFC 7662 introspection response, as sent. */
export interface Introspection { active: boolean; [member: string]: unknown; }

export interface SignOutOptions {
  /** Revoke the refresh token, then the access token, first. Default true. */
  revoke?: boolean;
  /** Default: the configured postLogoutRedirectUri. */
  postLogoutRedirectUri?: string;
  state?: string;
  /** Clear local tokens only; no revocation, no navigation. Default false. */
  local?: boolean;
}
"#;

/// Signs users in with Okta or any OpenID Connect provider.
#[wasm_bindgen]
pub struct AuthClient {
    client: Rc<Client>,
}

#[wasm_bindgen]
impl AuthClient {
    /// Checks the configuration and creates a client.
    /// @throws {AuthError} code `"invalid_config"`, with a message naming the option.
    #[wasm_bindgen(constructor)]
    pub fn new(config: AuthConfigJs) -> Result<AuthClient, JsValue> {
        panic::install();
        let config_js: JsValue = JsValue::clone(&config);
        panic::catch(|| read_config(&config).and_then(validate_config))
            .and_then(|checked| checked)
            .map(|config| {
                let client = Rc::new(Client::new(config));
                if let Ok(storage) = Reflect::get(&config_js, &JsValue::from_str("storage")) {
                    if storage.is_object() {
                        tokens::set_custom_storage(&client, storage);
                    }
                }
                tokens::start(&client);
                AuthClient { client }
            })
            .map_err(|e| to_js_error(&e))
    }

    /// The issuer, exactly as configured.
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.client.config.issuer.clone()
    }

    /// The client id.
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> String {
        self.client.config.client_id.clone()
    }

    /// The redirect URI.
    #[wasm_bindgen(getter, js_name = redirectUri)]
    pub fn redirect_uri(&self) -> String {
        self.client.config.redirect_uri.clone()
    }

    /// The scopes that sign-in asks for, defaults applied.
    #[wasm_bindgen(getter)]
    pub fn scopes(&self) -> Vec<String> {
        self.client.config.scopes.clone()
    }

    /// The `response_type` that sign-in asks for, defaults applied.
    #[wasm_bindgen(getter, js_name = responseType)]
    pub fn response_type(&self) -> String {
        self.client.config.response_type.as_str().into()
    }
}

#[wasm_bindgen]
impl AuthClient {
    /// Builds an authorize URL for a redirect sign-in (PKCE, state and nonce generated),
    /// without navigating: for apps that navigate themselves.
    #[wasm_bindgen(js_name = buildAuthorizeUrl, unchecked_return_type = "Promise<AuthorizeUrl>")]
    pub fn build_authorize_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let options = read_sign_in_options(&options)?;
            let request = flow::build_authorize_url(&client, &options).await?;
            let t = &request.transaction;
            let out = Object::new();
            set(&out, "url", &request.url.as_str().into());
            set(&out, "state", &t.state.as_str().into());
            set(&out, "nonce", &t.nonce.as_str().into());
            if let Some(v) = &t.code_verifier {
                set(&out, "codeVerifier", &v.as_str().into());
            }
            Ok(out.into())
        })
    }

    /// Signs in through a popup. Call it directly in a click handler: the window is opened
    /// before anything is awaited, or browsers block it.
    /// A second call while a popup is open rejects with `popup_in_progress` and brings the
    /// open popup to the front.
    /// @throws {AuthError} `popup_blocked`, `popup_closed`, `popup_in_progress`, `timeout`, or a provider error.
    #[wasm_bindgen(js_name = signInWithPopup, unchecked_return_type = "Promise<Tokens>")]
    pub fn sign_in_with_popup(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let options = match read_sign_in_options(&options) {
            Ok(o) => o,
            Err(e) => return js_sys::Promise::reject(&to_js_error(&e)),
        };
        // Synchronous part first: the popup opens inside the caller's click.
        let client = self.client.clone();
        let future = match panic::catch(|| popup::sign_in_with_popup(client, options)) {
            Ok(future) => future,
            Err(e) => return js_sys::Promise::reject(&to_js_error(&e)),
        };
        promise(async move { future.await.map(|t| tokens_to_js(&t)) })
    }

    /// Signs in without showing anything, in a hidden iframe with `prompt=none`. Concurrent
    /// calls share one request.
    /// @throws {AuthError} `login_required` (no session), `timeout`, or a provider error.
    #[wasm_bindgen(js_name = signInSilently, unchecked_return_type = "Promise<Tokens>")]
    pub fn sign_in_silently(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let options = read_sign_in_options(&options)?;
            iframe::sign_in_silently(client, options)
                .await
                .map(|t| tokens_to_js(&t))
        })
    }

    /// Stores the transaction and navigates the page to the provider.
    #[wasm_bindgen(js_name = signInWithRedirect, unchecked_return_type = "Promise<void>")]
    pub fn sign_in_with_redirect(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let options = read_sign_in_options(&options)?;
            redirect::sign_in_with_redirect(client, options).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Whether `url` (default: the current address) holds an authorization response.
    #[wasm_bindgen(js_name = isRedirectCallback)]
    pub fn is_redirect_callback(&self, url: Option<String>) -> Result<bool, JsValue> {
        panic::catch(|| redirect::is_redirect_callback(&self.client, url.as_deref()))
            .map_err(|e| to_js_error(&e))
    }

    /// Completes a redirect sign-in: validates the response against its stored transaction,
    /// exchanges the code, validates the ID token, keeps the tokens and cleans the address bar.
    /// @throws {AuthError} `transaction_not_found`, `state_mismatch`, a provider error, or a token validation error.
    #[wasm_bindgen(js_name = handleRedirect, unchecked_return_type = "Promise<{ tokens: Tokens; appState?: unknown }>")]
    pub fn handle_redirect(&self, url: Option<String>) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let (tokens, app_state) = redirect::handle_redirect(client, url).await?;
            let out = Object::new();
            set(&out, "tokens", &tokens_to_js(&tokens));
            if let Some(json) = app_state {
                set(
                    &out,
                    "appState",
                    &js_sys::JSON::parse(&json).unwrap_or(JsValue::UNDEFINED),
                );
            }
            Ok(out.into())
        })
    }

    /// Verifies an ID token in full: RS256 signature against the issuer's JWKS (fetched and
    /// cached), then every OpenID Connect claim rule, with the configured issuer and client id.
    /// @throws {AuthError} `invalid_signature`, `key_not_found`, `expired`, `nonce_mismatch`, ...
    #[wasm_bindgen(js_name = verifyIdToken, unchecked_return_type = "Promise<IdTokenClaims>")]
    pub fn verify_id_token(
        &self,
        id_token: String,
        #[wasm_bindgen(unchecked_param_type = "VerifyIdTokenOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let o = read_verify_options(&options)?;
            let source = match (&o.code, &o.nonce) {
                (Some(_), None) => {
                    return Err(Error::InvalidParameter {
                        name: "nonce".into(),
                        problem: "is required with code (a hybrid-flow ID token)",
                    })
                }
                (Some(code), Some(nonce)) => IdTokenSource::AuthorizationResponse {
                    nonce,
                    access_token: o.access_token.as_deref(),
                    code: Some(code),
                },
                (None, nonce) => IdTokenSource::TokenResponse {
                    nonce: nonce.as_deref().map_or(Expect::Skip, Expect::Value),
                    access_token: o.access_token.as_deref(),
                },
            };
            let mut expected = IdTokenExpectations::new(&client.config, source);
            expected.max_age = o.max_age;
            let now = o.now.unwrap_or_else(clock::now_seconds);
            let claims = provider::verify_id_token(&client, &id_token, &expected, now).await?;
            Ok(claims_to_js(&claims))
        })
    }

    /// The userinfo claims of the signed-in user (`sub` checked against the ID token's).
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<UserInfo>")]
    pub fn get_user(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move { Ok(json_to_js(resource::get_user(client).await?.claims())) })
    }

    /// RFC 7662 introspection of any token.
    #[wasm_bindgen(unchecked_return_type = "Promise<Introspection>")]
    pub fn introspect(
        &self,
        token: String,
        #[wasm_bindgen(js_name = tokenTypeHint)] token_type_hint: Option<String>,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            Ok(json_to_js(
                resource::introspect(client, token, token_type_hint)
                    .await?
                    .raw(),
            ))
        })
    }

    /// Revokes the access token held (RFC 7009) and forgets it.
    #[wasm_bindgen(js_name = revokeAccessToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_access_token(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            resource::revoke(client, RevocableToken::AccessToken).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Revokes the refresh token held (RFC 7009) and forgets it.
    #[wasm_bindgen(js_name = revokeRefreshToken, unchecked_return_type = "Promise<void>")]
    pub fn revoke_refresh_token(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            resource::revoke(client, RevocableToken::RefreshToken).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Signs out: revokes the refresh then the access token (unless `revoke: false`), clears
    /// the local tokens, and navigates to the provider's end-session endpoint with
    /// `id_token_hint`. `{ local: true }` only clears the local tokens.
    #[wasm_bindgen(js_name = signOut, unchecked_return_type = "Promise<void>")]
    pub fn sign_out(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignOutOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            let options = read_sign_out_options(&options)?;
            resource::sign_out(client, options).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// The token manager: stored tokens, renew on read, events.
#[wasm_bindgen]
impl AuthClient {
    /// The tokens held (`{}` when nobody is signed in). An ID or access token that is
    /// expired, or within `expireEarlySeconds` of it, is renewed first (see `renewTokens`);
    /// if that fails the Promise rejects with the renewal's error: a stale token is never
    /// handed out.
    /// @throws {AuthError} what `renewTokens` throws.
    #[wasm_bindgen(js_name = getTokens, unchecked_return_type = "Promise<Tokens>")]
    pub fn get_tokens(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            Ok(match tokens::get_tokens(client, Which::All).await? {
                Some(t) => tokens_to_js(&t),
                None => Object::new().into(),
            })
        })
    }

    /// The ID token held, renewed first when expired or within `expireEarlySeconds` of it;
    /// `undefined` when none is held.
    /// @throws {AuthError} what `renewTokens` throws.
    #[wasm_bindgen(js_name = getIdToken, unchecked_return_type = "Promise<IdToken | undefined>")]
    pub fn get_id_token(&self) -> js_sys::Promise {
        self.get_one(Which::IdToken, "idToken")
    }

    /// The access token held, renewed first when expired or within `expireEarlySeconds` of
    /// it; `undefined` when none is held.
    /// @throws {AuthError} what `renewTokens` throws.
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<AccessToken | undefined>")]
    pub fn get_access_token(&self) -> js_sys::Promise {
        self.get_one(Which::AccessToken, "accessToken")
    }

    /// Whether a usable ID or access token is held (renewed first as `getTokens` does); a
    /// failed renewal resolves `false`.
    #[wasm_bindgen(js_name = isAuthenticated, unchecked_return_type = "Promise<boolean>")]
    pub fn is_authenticated(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move { Ok(tokens::is_authenticated(client).await.into()) })
    }

    /// Renews the tokens now: the refresh-token grant when a refresh token is held (the
    /// rotated refresh token is kept), otherwise a silent sign-in in a hidden iframe.
    /// Concurrent calls, and with `localStorage` all tabs of the origin (Web Locks), share
    /// one request. `invalid_grant` clears the tokens and fires `expired`.
    /// @throws {AuthError} `invalid_grant`, `login_required`, `timeout`, `network_error`, ...
    #[wasm_bindgen(js_name = renewTokens, unchecked_return_type = "Promise<Tokens>")]
    pub fn renew_tokens(&self) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move { Ok(tokens_to_js(&tokens::renew_tokens(client).await?)) })
    }

    /// Adds a listener. Each is called with one argument: `added` (a sign-in of a user
    /// whose tokens were not held, or tokens first read from storage), `renewed` (a renewal,
    /// here or in another tab): the new `Tokens`; `expired`: the `Tokens` cleared because renewal was refused (`invalid_grant`);
    /// `removed`: the `Tokens` removed (sign-out, revocation, another tab, or discarded
    /// storage); `error`: an `AuthError` (unreadable or foreign storage, a failed automatic
    /// renewal). Events fire in every tab that shares `localStorage`.
    /// @throws {AuthError} `invalid_parameter` for an unknown event name.
    pub fn on(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "\"added\" | \"renewed\" | \"expired\" | \"removed\" | \"error\""
        )]
        name: String,
        #[wasm_bindgen(unchecked_param_type = "(payload: Tokens | Error) => void")]
        listener: Function,
    ) -> Result<(), JsValue> {
        tokens::on(&self.client, &name, listener).map_err(|e| to_js_error(&e))
    }

    /// Removes a listener added with `on`.
    /// @throws {AuthError} `invalid_parameter` for an unknown event name.
    pub fn off(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "\"added\" | \"renewed\" | \"expired\" | \"removed\" | \"error\""
        )]
        name: String,
        #[wasm_bindgen(unchecked_param_type = "(payload: Tokens | Error) => void")]
        listener: Function,
    ) -> Result<(), JsValue> {
        tokens::off(&self.client, &name, &listener).map_err(|e| to_js_error(&e))
    }

    fn get_one(&self, which: Which, key: &'static str) -> js_sys::Promise {
        let client = self.client.clone();
        promise(async move {
            Ok(match tokens::get_tokens(client, which).await? {
                Some(t) => Reflect::get(&tokens_to_js(&t), &JsValue::from_str(key))
                    .unwrap_or(JsValue::UNDEFINED),
                None => JsValue::UNDEFINED,
            })
        })
    }
}

/// Runs `f` as a JS Promise; its error becomes an `AuthError`.
fn promise<F>(f: F) -> js_sys::Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    // Each poll runs inside a `try`: a panic rejects with `internal` (see browser::panic).
    panic::future_to_promise(f)
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A protocol-core JSON value as a plain JS value.
pub fn json_to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        // The browser's own reading of the literal, as `JSON.parse` would give it.
        Value::Number(n) => JsValue::from_f64(js_sys::parse_float(n.as_str())),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(json_to_js).collect::<Array>().into(),
        // Object.fromEntries defines own data properties, as JSON.parse does: a member
        // named `__proto__`, assigned, would set the object's prototype instead (a
        // provider's `{"__proto__": {"admin": true}}` would make `user.admin` true).
        Value::Object(members) => Object::from_entries(
            &members
                .iter()
                .map(|(k, v)| Array::of2(&JsValue::from_str(k), &json_to_js(v)))
                .collect::<Array>(),
        )
        .map_or(JsValue::NULL, JsValue::from),
    }
}

/// An ID token's claims as a JS object: `JSON.parse` of the signed payload text, one call
/// across the boundary instead of one per claim.
fn claims_to_js(claims: &IdTokenClaims) -> JsValue {
    JSON::parse(claims.payload_json()).unwrap_or_else(|_| json_to_js(claims.payload()))
}

fn id_token_to_js(claims: &IdTokenClaims, client_id: &str) -> JsValue {
    let out = Object::new();
    set(&out, "value", &claims.id_token().into());
    set(&out, "claims", &claims_to_js(claims));
    set(&out, "expiresAt", &JsValue::from_f64(claims.exp() as f64));
    set(&out, "issuer", &claims.iss().into());
    set(&out, "clientId", &client_id.into());
    out.into()
}

/// `Tokens` as the `.d.ts` describes it.
pub fn tokens_to_js(tokens: &TokenSet) -> JsValue {
    let out = Object::new();
    if let Some(id) = &tokens.id_token {
        let client_id = id
            .azp()
            .or(id.aud().first().map(String::as_str))
            .unwrap_or_default();
        set(&out, "idToken", &id_token_to_js(id, client_id));
    }
    if let Some(at) = &tokens.access_token {
        let o = Object::new();
        set(&o, "value", &at.value.as_str().into());
        if let Some(exp) = at.expires_at {
            set(&o, "expiresAt", &JsValue::from_f64(exp as f64));
        }
        set(
            &o,
            "scopes",
            &at.scopes
                .iter()
                .map(|s| JsValue::from_str(s))
                .collect::<Array>()
                .into(),
        );
        set(&o, "tokenType", &at.token_type.as_str().into());
        set(&out, "accessToken", &o.into());
    }
    if let Some(rt) = &tokens.refresh_token {
        let o = Object::new();
        set(&o, "value", &rt.as_str().into());
        set(&out, "refreshToken", &o.into());
    }
    out.into()
}

/// Reads an options object (`undefined`/`null` = none) whose keys must all be known.
fn options_object(
    value: &JsValue,
    known: &[&str],
    field: &'static str,
) -> Result<Option<JsValue>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || Array::is_array(value) {
        return Err(Error::InvalidParameter {
            name: field.into(),
            problem: "must be an object",
        });
    }
    for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            return Err(Error::InvalidParameter {
                name: key,
                problem: "is not a known option (names are case-sensitive)",
            });
        }
    }
    Ok(Some(value.clone()))
}

fn param(name: &'static str, problem: &'static str) -> Error {
    Error::InvalidParameter {
        name: name.into(),
        problem,
    }
}

fn opt_str(obj: &JsValue, key: &'static str) -> Result<Option<String>, Error> {
    get(obj, key, key)
        .map_err(|_| param(key, "could not be read"))?
        .map(|v| v.as_string().ok_or(param(key, "must be a string")))
        .transpose()
}

fn opt_u32(obj: &JsValue, key: &'static str) -> Result<Option<u32>, Error> {
    get(obj, key, key)
        .map_err(|_| param(key, "could not be read"))?
        .map(|v| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))
                .map(|n| n as u32)
                .ok_or(param(key, "must be a whole number of seconds"))
        })
        .transpose()
}

fn read_sign_in_options(value: &JsValue) -> Result<SignInOptions, Error> {
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
    let Some(o) = options_object(value, &KNOWN, "options")? else {
        return Ok(SignInOptions::default());
    };
    let scopes =
        match get(&o, "scopes", "scopes").map_err(|_| param("scopes", "could not be read"))? {
            None => None,
            Some(v) if Array::is_array(&v) => Some(
                Array::from(&v)
                    .iter()
                    .map(|s| {
                        s.as_string()
                            .ok_or(param("scopes", "must be an array of strings"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(param("scopes", "must be an array of strings")),
        };
    let mut extra_params = Vec::new();
    if let Some(extra) = get(&o, "extraParams", "extraParams")
        .map_err(|_| param("extraParams", "could not be read"))?
    {
        if !extra.is_object() || Array::is_array(&extra) {
            return Err(param("extraParams", "must be an object of strings"));
        }
        for entry in Object::entries(extra.unchecked_ref::<Object>()).iter() {
            let pair = Array::from(&entry);
            let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
                return Err(param("extraParams", "must be an object of strings"));
            };
            extra_params.push((k, v));
        }
    }
    let app_state = match get(&o, "appState", "appState")
        .map_err(|_| param("appState", "could not be read"))?
    {
        None => None,
        Some(v) => Some(
            js_sys::JSON::stringify(&v)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or(param("appState", "must be JSON-serialisable"))?,
        ),
    };
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
        renewing: None,
    })
}

struct VerifyOptions {
    nonce: Option<String>,
    access_token: Option<String>,
    code: Option<String>,
    max_age: Option<u32>,
    now: Option<i64>,
}

fn read_verify_options(value: &JsValue) -> Result<VerifyOptions, Error> {
    let Some(o) = options_object(
        value,
        &["nonce", "accessToken", "code", "maxAge", "now"],
        "options",
    )?
    else {
        return Ok(VerifyOptions {
            nonce: None,
            access_token: None,
            code: None,
            max_age: None,
            now: None,
        });
    };
    Ok(VerifyOptions {
        nonce: opt_str(&o, "nonce")?,
        access_token: opt_str(&o, "accessToken")?,
        code: opt_str(&o, "code")?,
        max_age: opt_u32(&o, "maxAge")?,
        now: opt_u32(&o, "now")?.map(i64::from),
    })
}

fn read_sign_out_options(value: &JsValue) -> Result<SignOutOptions, Error> {
    let Some(o) = options_object(
        value,
        &["revoke", "postLogoutRedirectUri", "state", "local"],
        "options",
    )?
    else {
        return Ok(SignOutOptions::default());
    };
    let flag = |key: &'static str, default: bool| -> Result<bool, Error> {
        get(&o, key, key)
            .map_err(|_| param(key, "could not be read"))?
            .map_or(Ok(default), |v| {
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
        validate_option_name(&key.as_string().unwrap_or_default())?;
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
        http_timeout_ms: get_number(config, "httpTimeoutMs")?,
        popup_response_mode: get_string(config, "popupResponseMode", "popupResponseMode")?,
        endpoints,
        auto_renew,
    })
}
