//! Userinfo, introspection, revocation, sign-out and the panic guard, in headless Chromium.
//! A fake provider on a loopback issuer is served from the page by `mockFetch`; nothing is
//! contacted for real.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use js_sys::Promise;
use okta_auth_wasm::api::{AuthClient, AuthConfigJs};
use okta_auth_wasm::browser::client::{Client, TokenSet};
use okta_auth_wasm::browser::provider::verify_id_token;
use okta_auth_wasm::browser::resource::{
    get_user, introspect, revoke, sign_out_url, SignOutOptions,
};
use okta_auth_wasm::browser::{clock, panic};
use okta_auth_wasm::protocol::id_token::{Expect, IdTokenExpectations, IdTokenSource};
use okta_auth_wasm::protocol::resource::RevocableToken;
use okta_auth_wasm::protocol::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

use support::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function providerTable(issuer, routes, omit) {
  const doc = {
    issuer,
    authorization_endpoint: issuer + '/authorize',
    token_endpoint: issuer + '/token',
    jwks_uri: issuer + '/keys',
    userinfo_endpoint: issuer + '/userinfo',
    introspection_endpoint: issuer + '/introspect',
    revocation_endpoint: issuer + '/revoke',
    end_session_endpoint: issuer + '/logout',
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
  for (const member of omit ?? []) delete doc[member];
  const table = { [issuer + '/.well-known/openid-configuration']: { body: doc } };
  for (const [path, handler] of Object.entries(routes ?? {})) table[issuer + path] = handler;
  return table;
}
export async function signIdToken(signer, issuer, clientId, sub) {
  const now = Math.floor(Date.now() / 1000);
  return signer.sign({ iss: issuer, sub, aud: clientId, iat: now, exp: now + 3600 });
}
export function config(issuer) {
  return { issuer, clientId: 'spa-client', redirectUri: 'http://127.0.0.1:8080/callback' };
}
export function settledWithin(promise, ms) {
  return Promise.race([
    promise.then((value) => ({ state: 'fulfilled', value }), (error) => ({ state: 'rejected', error })),
    new Promise((resolve) => setTimeout(() => resolve({ state: 'pending' }), ms)),
  ]);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = providerTable)]
    fn provider_table(issuer: &str, routes: &JsValue, omit: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = signIdToken)]
    fn sign_id_token(signer: &JsValue, issuer: &str, client_id: &str, sub: &str) -> Promise;
    fn config(issuer: &str) -> AuthConfigJs;
    #[wasm_bindgen(js_name = settledWithin)]
    fn settled_within(promise: &Promise, ms: u32) -> Promise;
}

const CLIENT_ID: &str = "spa-client";
const SUB: &str = "00u1user";

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn prop_str(obj: &JsValue, key: &str) -> String {
    prop(obj, key).as_string().unwrap_or_default()
}

fn client(issuer: &str, post_logout_redirect_uri: Option<&str>) -> Rc<Client> {
    let mut input = config_input(issuer, CLIENT_ID, "http://127.0.0.1:8080/callback");
    input.post_logout_redirect_uri = post_logout_redirect_uri.map(String::from);
    Rc::new(validated_client(input))
}

/// A token set of the access token `value`, valid for an hour, and `refresh`, without an
/// ID token (no sign-in needed).
fn hold(client: &Client, value: &str, refresh: Option<&str>) {
    *client.tokens.borrow_mut() = Some(TokenSet {
        id_token: None,
        access_token: Some(access_token(value, clock::now_seconds() + 3600)),
        refresh_token: refresh.map(String::from),
    });
}

/// Serves the provider at `issuer` with `routes` plus a JWK set, signs an ID token for
/// [`SUB`], validates it through the real `verify_id_token`, and holds it with the access
/// and refresh tokens given. Returns the raw ID token.
async fn sign_in(
    client: &Client,
    routes: &JsValue,
    omit: &JsValue,
    access: Option<&str>,
    refresh: Option<&str>,
) -> String {
    let signer = signer("k1").await;
    let issuer = client.config.issuer.clone();
    let table = provider_table(&issuer, routes, omit);
    let keys = js_sys::Array::of1(&prop(&signer, "jwk"));
    let jwks = js_obj(&[("keys", keys.into())]);
    set(
        &table,
        &format!("{issuer}/keys"),
        &js_obj(&[("body", jwks)]),
    );
    mock_fetch(&table);
    let raw = wait(sign_id_token(&signer, &issuer, CLIENT_ID, SUB))
        .await
        .as_string()
        .unwrap();
    let expected = IdTokenExpectations::new(
        &client.config,
        IdTokenSource::TokenResponse {
            nonce: Expect::Skip,
            access_token: None,
        },
    );
    let claims = verify_id_token(client, &raw, &expected, clock::now_seconds())
        .await
        .unwrap();
    *client.tokens.borrow_mut() = Some(TokenSet {
        id_token: Some(claims),
        access_token: access.map(|value| access_token(value, clock::now_seconds() + 3600)),
        refresh_token: refresh.map(String::from),
    });
    // Only the requests of the behaviour under test are to be seen.
    fetch_log().set_length(0);
    raw
}

/// [`sign_in`] to a provider that accepts every revocation.
async fn sign_in_revocable(client: &Client, access: Option<&str>, refresh: Option<&str>) -> String {
    let routes = json(r#"{"/revoke": {"status": 200, "body": ""}}"#);
    sign_in(client, &routes, &JsValue::UNDEFINED, access, refresh).await
}

fn requests() -> Vec<JsValue> {
    fetch_log().iter().collect()
}

fn urls() -> Vec<String> {
    requests().iter().map(|r| prop_str(r, "url")).collect()
}

/// The request's form body, decoded, in order.
fn form(request: &JsValue) -> Vec<(String, String)> {
    prop_str(request, "body")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                js_sys::decode_uri_component(&s.replace('+', " "))
                    .unwrap()
                    .as_string()
                    .unwrap()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn header(request: &JsValue, name: &str) -> Option<String> {
    prop(&prop(request, "headers"), name).as_string()
}

fn error_code(e: &JsValue) -> String {
    prop_str(e, "code")
}

/// Serves only the discovery document and `routes` (no ID token is needed).
fn serve(issuer: &str, routes: &str) {
    mock_fetch(&provider_table(issuer, &json(routes), &JsValue::UNDEFINED));
}

fn held(client: &Client) -> Option<TokenSet> {
    client.tokens.borrow().clone()
}

// ---- getUser ---------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn get_user_returns_the_claims_for_the_held_access_token() {
    let issuer = "http://127.0.0.1:9/user-ok";
    let client = client(issuer, None);
    let routes =
        json(r#"{"/userinfo": {"body": {"sub": "00u1user", "email": "ada@example.com"}}}"#);
    sign_in(&client, &routes, &JsValue::UNDEFINED, Some("at-1"), None).await;

    let user = get_user(client.clone()).await;
    let log = requests();
    unmock_fetch();

    let user = user.unwrap();
    assert_eq!(user.sub(), SUB);
    assert_eq!(
        user.claims().get("email").and_then(|v| v.as_str()),
        Some("ada@example.com")
    );
    assert_eq!(log.len(), 1);
    assert_eq!(prop_str(&log[0], "url"), format!("{issuer}/userinfo"));
    assert_eq!(prop_str(&log[0], "method"), "GET");
    assert_eq!(
        header(&log[0], "authorization").as_deref(),
        Some("Bearer at-1")
    );
}

#[wasm_bindgen_test]
async fn get_user_rejects_userinfo_about_another_sub() {
    let client = client("http://127.0.0.1:9/user-sub", None);
    let routes = json(r#"{"/userinfo": {"body": {"sub": "00u2attacker"}}}"#);
    sign_in(&client, &routes, &JsValue::UNDEFINED, Some("at-1"), None).await;

    let result = get_user(client.clone()).await;
    unmock_fetch();

    assert_eq!(result.unwrap_err().code(), "sub_mismatch");
}

#[wasm_bindgen_test]
async fn get_user_reports_invalid_token_from_www_authenticate_and_keeps_the_tokens() {
    let client = client("http://127.0.0.1:9/user-401", None);
    let routes = json(
        r#"{"/userinfo": {"status": 401, "body": "",
            "headers": {"www-authenticate": "Bearer realm=\"okta\", error=\"invalid_token\", error_description=\"The access token is invalid.\""}}}"#,
    );
    sign_in(&client, &routes, &JsValue::UNDEFINED, Some("at-1"), None).await;

    let error = get_user(client.clone()).await.unwrap_err();
    unmock_fetch();

    assert_eq!(error.code(), "invalid_token");
    assert_eq!(
        error,
        Error::Provider {
            error: "invalid_token".into(),
            description: Some("The access token is invalid.".into())
        }
    );
    assert_eq!(
        held(&client).and_then(|t| t.access_token).map(|t| t.value),
        Some("at-1".into())
    );
}

#[wasm_bindgen_test]
async fn get_user_without_tokens_is_not_authenticated_and_sends_nothing() {
    let issuer = "http://127.0.0.1:9/user-none";
    let client = client(issuer, None);
    serve(issuer, r#"{"/userinfo": {"body": {"sub": "00u1user"}}}"#);

    let error = get_user(client).await.unwrap_err();
    let sent = urls();
    unmock_fetch();

    assert_eq!(error.code(), "not_authenticated");
    assert_eq!(
        error,
        Error::NotAuthenticated {
            missing: "an access token"
        }
    );
    assert!(sent.is_empty(), "{sent:?}");
}

#[wasm_bindgen_test]
async fn get_user_without_an_id_token_is_not_authenticated() {
    let issuer = "http://127.0.0.1:9/user-no-id";
    let client = client(issuer, None);
    serve(issuer, r#"{"/userinfo": {"body": {"sub": "00u1user"}}}"#);
    hold(&client, "at-1", None);

    let error = get_user(client).await.unwrap_err();
    let sent = urls();
    unmock_fetch();

    assert_eq!(
        error,
        Error::NotAuthenticated {
            missing: "an ID token"
        }
    );
    assert!(sent.is_empty(), "{sent:?}");
}

#[wasm_bindgen_test]
async fn get_user_without_a_userinfo_endpoint_names_the_option_to_set() {
    let client = client("http://127.0.0.1:9/user-no-endpoint", None);
    let omit = js_sys::Array::of1(&"userinfo_endpoint".into());
    sign_in(&client, &JsValue::UNDEFINED, &omit, Some("at-1"), None).await;

    let error = get_user(client.clone()).await.unwrap_err();
    unmock_fetch();

    assert_eq!(error.code(), "invalid_config");
    assert!(
        matches!(
            error,
            Error::InvalidConfig {
                field: "endpoints.userinfo",
                ..
            }
        ),
        "{error:?}"
    );
}

#[wasm_bindgen_test]
async fn get_user_through_the_facade_rejects_with_auth_error_not_authenticated() {
    let client = AuthClient::new(config("http://127.0.0.1:9/user-facade")).unwrap();
    let error = JsFuture::from(client.get_user()).await.unwrap_err();
    assert_eq!(prop_str(&error, "name"), "AuthError");
    assert_eq!(error_code(&error), "not_authenticated");
}

#[wasm_bindgen_test]
async fn proto_and_constructor_members_of_provider_json_stay_own_data_properties() {
    // Userinfo and introspection answers reach the app through json_to_js. A member named
    // `__proto__`, assigned, would set the object's prototype: `user.admin` would read true.
    let issuer = "http://127.0.0.1:9/introspect-proto";
    let client = client(issuer, None);
    serve(
        issuer,
        r#"{"/introspect": {"body": {"active": true, "__proto__": {"admin": true},
            "constructor": {"prototype": {"admin": true}}, "nested": {"__proto__": {"admin": true}}}}}"#,
    );
    let result = introspect(client, "at-9".into(), None).await;
    unmock_fetch();
    let out = okta_auth_wasm::api::json_to_js(result.unwrap().raw());
    let checks = js_sys::Function::new_with_args(
        "o",
        "const own = (x, k) => Object.getOwnPropertyDescriptor(x, k);
         return [o.admin === undefined, Object.getPrototypeOf(o) === Object.prototype,
           own(o, '__proto__')?.value?.admin === true, own(o, '__proto__')?.enumerable === true,
           own(o, 'constructor')?.value?.prototype?.admin === true, ({}).admin === undefined,
           o.nested.admin === undefined, own(o.nested, '__proto__')?.value?.admin === true,
           Object.keys(o).join() === 'active,__proto__,constructor,nested'];",
    );
    let results = js_sys::Array::from(&checks.call1(&JsValue::NULL, &out).unwrap());
    let failed: Vec<u32> = (0..results.length())
        .filter(|i| results.get(*i) != JsValue::TRUE)
        .collect();
    assert!(failed.is_empty(), "checks that failed: {failed:?}");
}

// ---- introspect ------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn introspect_posts_token_hint_and_client_id_without_authorization() {
    let issuer = "http://127.0.0.1:9/introspect-active";
    let client = client(issuer, None);
    serve(
        issuer,
        r#"{"/introspect": {"body": {"active": true, "scope": "openid email", "sub": "00u1user",
            "client_id": "spa-client", "exp": 1900000000, "aud": "api://default"}}}"#,
    );

    let result = introspect(client, "at-9".into(), Some("access_token".into())).await;
    let log = requests();
    unmock_fetch();

    let info = result.unwrap();
    assert!(info.active());
    assert_eq!(info.scope(), Some("openid email"));
    assert_eq!(info.sub(), Some("00u1user"));
    assert_eq!(info.exp(), Some(1_900_000_000));
    assert_eq!(info.aud(), ["api://default".to_owned()]);
    let post = log
        .iter()
        .find(|r| prop_str(r, "url") == format!("{issuer}/introspect"))
        .expect("an introspection request");
    assert_eq!(prop_str(post, "method"), "POST");
    assert_eq!(
        form(post),
        pairs(&[
            ("token", "at-9"),
            ("token_type_hint", "access_token"),
            ("client_id", CLIENT_ID)
        ])
    );
    assert_eq!(header(post, "authorization"), None);
    assert_eq!(
        header(post, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
}

#[wasm_bindgen_test]
async fn introspect_reads_an_inactive_token() {
    let issuer = "http://127.0.0.1:9/introspect-inactive";
    let client = client(issuer, None);
    serve(issuer, r#"{"/introspect": {"body": {"active": false}}}"#);

    let result = introspect(client, "revoked".into(), None).await;
    let log = requests();
    unmock_fetch();

    let info = result.unwrap();
    assert!(!info.active());
    assert_eq!(info.sub(), None);
    let post = log.last().unwrap();
    assert_eq!(
        form(post),
        pairs(&[("token", "revoked"), ("client_id", CLIENT_ID)])
    );
}

#[wasm_bindgen_test]
async fn introspect_refuses_an_unknown_hint_before_any_request() {
    let issuer = "http://127.0.0.1:9/introspect-hint";
    let client = client(issuer, None);
    serve(issuer, r#"{"/introspect": {"body": {"active": true}}}"#);

    let error = introspect(client, "t".into(), Some("session".into()))
        .await
        .unwrap_err();
    let sent = urls();
    unmock_fetch();

    assert_eq!(error.code(), "invalid_parameter");
    assert!(sent.is_empty(), "{sent:?}");
}

// ---- revoke ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn revoke_access_token_posts_it_and_forgets_it_after_200() {
    let issuer = "http://127.0.0.1:9/revoke-at";
    let client = client(issuer, None);
    serve(issuer, r#"{"/revoke": {"status": 200, "body": ""}}"#);
    hold(&client, "at-1", Some("rt-1"));

    let result = revoke(client.clone(), RevocableToken::AccessToken).await;
    let log = requests();
    unmock_fetch();

    assert_eq!(result, Ok(()));
    let post = log.last().unwrap();
    assert_eq!(prop_str(post, "url"), format!("{issuer}/revoke"));
    assert_eq!(
        form(post),
        pairs(&[
            ("token", "at-1"),
            ("token_type_hint", "access_token"),
            ("client_id", CLIENT_ID)
        ])
    );
    assert_eq!(header(post, "authorization"), None);
    let tokens = held(&client).unwrap();
    assert_eq!(tokens.access_token, None);
    assert_eq!(tokens.refresh_token.as_deref(), Some("rt-1"));
}

#[wasm_bindgen_test]
async fn revoke_refresh_token_posts_it_and_forgets_it_after_200() {
    let issuer = "http://127.0.0.1:9/revoke-rt";
    let client = client(issuer, None);
    serve(issuer, r#"{"/revoke": {"status": 200, "body": ""}}"#);
    hold(&client, "at-1", Some("rt-1"));

    let result = revoke(client.clone(), RevocableToken::RefreshToken).await;
    let log = requests();
    unmock_fetch();

    assert_eq!(result, Ok(()));
    assert_eq!(
        form(log.last().unwrap()),
        pairs(&[
            ("token", "rt-1"),
            ("token_type_hint", "refresh_token"),
            ("client_id", CLIENT_ID)
        ])
    );
    let tokens = held(&client).unwrap();
    assert_eq!(tokens.refresh_token, None);
    assert_eq!(
        tokens.access_token.map(|t| t.value).as_deref(),
        Some("at-1")
    );
}

#[wasm_bindgen_test]
async fn revoke_keeps_the_token_when_the_provider_refuses() {
    let issuer = "http://127.0.0.1:9/revoke-refused";
    let client = client(issuer, None);
    serve(
        issuer,
        r#"{"/revoke": {"status": 401, "body": {"error": "invalid_client", "error_description": "No client"}}}"#,
    );
    hold(&client, "at-1", None);

    let error = revoke(client.clone(), RevocableToken::AccessToken)
        .await
        .unwrap_err();
    unmock_fetch();

    assert_eq!(error.code(), "invalid_client");
    assert_eq!(
        held(&client).and_then(|t| t.access_token).map(|t| t.value),
        Some("at-1".into())
    );
}

#[wasm_bindgen_test]
async fn revoke_without_the_token_is_not_authenticated_and_sends_nothing() {
    let issuer = "http://127.0.0.1:9/revoke-none";
    let client = client(issuer, None);
    serve(issuer, r#"{"/revoke": {"status": 200, "body": ""}}"#);
    hold(&client, "at-1", None);

    let error = revoke(client.clone(), RevocableToken::RefreshToken)
        .await
        .unwrap_err();
    let sent = urls();
    unmock_fetch();

    assert_eq!(
        error,
        Error::NotAuthenticated {
            missing: "a refresh token"
        }
    );
    assert!(sent.is_empty(), "{sent:?}");
}

// ---- signOut ---------------------------------------------------------------------------

fn revocations_in_order(log: &[JsValue], issuer: &str) -> Vec<(String, String)> {
    log.iter()
        .filter(|r| prop_str(r, "url") == format!("{issuer}/revoke"))
        .map(|r| {
            let body = form(r);
            let get = |name: &str| {
                body.iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (get("token_type_hint"), get("token"))
        })
        .collect()
}

#[wasm_bindgen_test]
async fn sign_out_revokes_refresh_then_access_clears_tokens_and_builds_the_end_session_url() {
    let issuer = "http://127.0.0.1:9/signout";
    let client = client(issuer, None);
    let id_token = sign_in_revocable(&client, Some("at-1"), Some("rt-1")).await;

    let url = sign_out_url(
        client.clone(),
        SignOutOptions {
            post_logout_redirect_uri: Some("http://127.0.0.1:8080/signed-out".into()),
            state: Some("s-123".into()),
            ..SignOutOptions::default()
        },
    )
    .await;
    let log = requests();
    unmock_fetch();

    assert_eq!(
        url.unwrap().as_deref(),
        Some(
            format!(
                "{issuer}/logout?id_token_hint={id_token}\
                 &post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fsigned-out&state=s-123"
            )
            .as_str()
        )
    );
    assert_eq!(
        revocations_in_order(&log, issuer),
        [
            ("refresh_token".to_owned(), "rt-1".to_owned()),
            ("access_token".to_owned(), "at-1".to_owned())
        ]
    );
    assert_eq!(held(&client), None);
}

#[wasm_bindgen_test]
async fn sign_out_uses_the_configured_post_logout_redirect_uri() {
    let issuer = "http://127.0.0.1:9/signout-configured";
    let client = client(issuer, Some("http://127.0.0.1:8080/bye"));
    let id_token = sign_in_revocable(&client, None, None).await;

    let url = sign_out_url(client.clone(), SignOutOptions::default()).await;
    unmock_fetch();

    assert_eq!(
        url.unwrap(),
        Some(format!(
            "{issuer}/logout?id_token_hint={id_token}\
             &post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fbye"
        ))
    );
}

#[wasm_bindgen_test]
async fn sign_out_local_clears_tokens_without_any_request() {
    let issuer = "http://127.0.0.1:9/signout-local";
    let client = client(issuer, None);
    sign_in_revocable(&client, Some("at-1"), Some("rt-1")).await;

    let url = sign_out_url(
        client.clone(),
        SignOutOptions {
            local: true,
            ..SignOutOptions::default()
        },
    )
    .await;
    let sent = urls();
    unmock_fetch();

    assert_eq!(url, Ok(None));
    assert!(sent.is_empty(), "{sent:?}");
    assert_eq!(held(&client), None);
}

#[wasm_bindgen_test]
async fn sign_out_local_through_the_facade_resolves_without_navigating() {
    let client = AuthClient::new(config("http://127.0.0.1:9/signout-facade")).unwrap();
    let options = json(r#"{"local": true}"#);
    let result = JsFuture::from(client.sign_out(options)).await;
    assert_eq!(result, Ok(JsValue::UNDEFINED));
}

#[wasm_bindgen_test]
async fn sign_out_without_revoke_sends_no_revocation() {
    let issuer = "http://127.0.0.1:9/signout-no-revoke";
    let client = client(issuer, None);
    let id_token = sign_in_revocable(&client, Some("at-1"), Some("rt-1")).await;

    let url = sign_out_url(
        client.clone(),
        SignOutOptions {
            revoke: false,
            ..SignOutOptions::default()
        },
    )
    .await;
    let log = requests();
    unmock_fetch();

    assert_eq!(
        url.unwrap(),
        Some(format!("{issuer}/logout?id_token_hint={id_token}"))
    );
    assert_eq!(revocations_in_order(&log, issuer), []);
    assert_eq!(held(&client), None);
}

#[wasm_bindgen_test]
async fn sign_out_ends_the_local_session_and_navigates_even_when_revocation_fails() {
    let issuer = "http://127.0.0.1:9/signout-revoke-fails";
    let client = client(issuer, None);
    let routes = json(r#"{"/revoke": "network-error"}"#);
    let id_token = sign_in(
        &client,
        &routes,
        &JsValue::UNDEFINED,
        Some("at-1"),
        Some("rt-1"),
    )
    .await;

    let url = sign_out_url(client.clone(), SignOutOptions::default()).await;
    let log = requests();
    unmock_fetch();

    assert_eq!(
        url.unwrap(),
        Some(format!("{issuer}/logout?id_token_hint={id_token}"))
    );
    // Both were attempted, the second despite the first failing.
    assert_eq!(revocations_in_order(&log, issuer).len(), 2);
    assert_eq!(held(&client), None);
}

#[wasm_bindgen_test]
async fn sign_out_without_an_end_session_endpoint_clears_locally_and_has_no_url() {
    let issuer = "http://127.0.0.1:9/signout-no-logout";
    let client = client(issuer, None);
    let routes = json(r#"{"/revoke": {"status": 200, "body": ""}}"#);
    let omit = js_sys::Array::of1(&"end_session_endpoint".into());
    sign_in(&client, &routes, &omit, Some("at-1"), None).await;

    let url = sign_out_url(client.clone(), SignOutOptions::default()).await;
    let log = requests();
    unmock_fetch();

    assert_eq!(url, Ok(None));
    assert_eq!(
        revocations_in_order(&log, issuer),
        [("access_token".to_owned(), "at-1".to_owned())]
    );
    assert_eq!(held(&client), None);
}

#[wasm_bindgen_test]
async fn sign_out_with_state_but_no_post_logout_redirect_uri_does_nothing() {
    let issuer = "http://127.0.0.1:9/signout-bad-state";
    let client = client(issuer, None);
    sign_in_revocable(&client, Some("at-1"), Some("rt-1")).await;

    let error = sign_out_url(
        client.clone(),
        SignOutOptions {
            state: Some("s".into()),
            ..SignOutOptions::default()
        },
    )
    .await
    .unwrap_err();
    let log = requests();
    unmock_fetch();

    assert_eq!(error.code(), "invalid_parameter");
    assert_eq!(revocations_in_order(&log, issuer), []);
    assert!(held(&client).is_some_and(|t| t.refresh_token.is_some()));
}

#[wasm_bindgen_test]
async fn sign_out_clears_the_local_session_when_discovery_fails() {
    let client = client("http://127.0.0.1:9/signout-offline", None);
    hold(&client, "at-1", None);
    mock_fetch(&js_sys::Object::new());

    let error = sign_out_url(client.clone(), SignOutOptions::default())
        .await
        .unwrap_err();
    unmock_fetch();

    assert_eq!(error.code(), "network_error");
    assert_eq!(held(&client), None);
}

// ---- panics ----------------------------------------------------------------------------

#[wasm_bindgen(inline_js = r#"
export function throwsWithoutCatch() { throw new TypeError('thrown by JS'); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = throwsWithoutCatch)]
    fn throws_without_catch();
}

/// Settles `promise` within a second, as `{state, value | error}`.
async fn settle(promise: &Promise) -> JsValue {
    JsFuture::from(settled_within(promise, 1000)).await.unwrap()
}

fn yield_now() -> JsFuture {
    JsFuture::from(Promise::resolve(&JsValue::UNDEFINED))
}

#[wasm_bindgen_test]
async fn panicking_call_rejects_with_auth_error_internal_and_its_message() {
    let promise = panic::future_to_promise(async {
        if std::hint::black_box(true) {
            panic!("deliberate failure");
        }
        Ok(JsValue::UNDEFINED)
    });
    let outcome = settle(&promise).await;
    assert_eq!(prop_str(&outcome, "state"), "rejected");
    let error = prop(&outcome, "error");
    assert_eq!(prop_str(&error, "name"), "AuthError");
    assert_eq!(error_code(&error), "internal");
    let description = prop_str(&error, "description");
    assert!(
        description.contains("deliberate failure at tests/browser_resources.rs:"),
        "{description}"
    );
}

#[wasm_bindgen_test]
async fn panic_after_an_await_leaves_the_same_client_usable() {
    let issuer = "http://127.0.0.1:9/panic-client";
    let client = client(issuer, None);
    serve(issuer, r#"{"/introspect": {"body": {"active": false}}}"#);
    hold(&client, "at-1", None);

    let c = client.clone();
    let promise = panic::future_to_promise(async move {
        introspect(c.clone(), "t".into(), None).await?;
        if std::hint::black_box(true) {
            panic!("failure after an await");
        }
        Ok(JsValue::UNDEFINED)
    });
    let outcome = settle(&promise).await;
    assert_eq!(error_code(&prop(&outcome, "error")), "internal");

    let c = client.clone();
    let next = panic::future_to_promise(async move {
        let info = introspect(c, "t".into(), None).await?;
        Ok(JsValue::from_bool(info.active()))
    });
    let outcome = settle(&next).await;
    unmock_fetch();
    assert_eq!(prop_str(&outcome, "state"), "fulfilled");
    assert_eq!(prop(&outcome, "value"), JsValue::FALSE);
    assert!(held(&client).is_some());
    client.tokens.replace(None);
}

#[wasm_bindgen_test]
async fn other_tasks_keep_running_after_a_panic() {
    let panicking = panic::future_to_promise(async {
        yield_now().await.unwrap();
        if std::hint::black_box(true) {
            panic!("first task fails");
        }
        Ok(JsValue::UNDEFINED)
    });
    let healthy = panic::future_to_promise(async {
        yield_now().await.unwrap();
        yield_now().await.unwrap();
        Ok(JsValue::from(2))
    });
    assert_eq!(prop_str(&settle(&panicking).await, "state"), "rejected");
    let outcome = settle(&healthy).await;
    assert_eq!(prop_str(&outcome, "state"), "fulfilled");
    assert_eq!(prop(&outcome, "value"), JsValue::from(2));
}

#[wasm_bindgen_test]
async fn js_exception_thrown_through_rust_rejects_with_internal() {
    let promise = panic::future_to_promise(async {
        throws_without_catch();
        Ok(JsValue::UNDEFINED)
    });
    let error = prop(&settle(&promise).await, "error");
    assert_eq!(error_code(&error), "internal");
    assert!(
        prop_str(&error, "description").contains("TypeError: thrown by JS"),
        "{}",
        prop_str(&error, "description")
    );
}

#[wasm_bindgen_test]
fn panicking_sync_call_returns_internal_with_the_panic_message() {
    let result: Result<(), Error> = panic::catch(|| {
        if std::hint::black_box(true) {
            panic!("sync failure");
        }
    });
    let error = result.unwrap_err();
    assert_eq!(error.code(), "internal");
    match error {
        Error::Internal { problem } => assert!(
            problem.starts_with("sync failure at tests/browser_resources.rs:"),
            "{problem}"
        ),
        other => panic!("{other:?}"),
    }
    // The module is not poisoned: the facade still works.
    assert!(AuthClient::new(config("http://127.0.0.1:9/after-sync-panic")).is_ok());
}

#[wasm_bindgen_test]
fn caught_panics_do_not_leak_the_stack() {
    fn stack_address() -> usize {
        let probe = [7u8; 64];
        std::hint::black_box(&probe) as *const _ as usize
    }
    let before = stack_address();
    for _ in 0..20 {
        let result = panic::catch(|| {
            let frame = std::hint::black_box([1u8; 4096]);
            if frame[0] == 1 {
                panic!("stack probe");
            }
        });
        assert!(result.is_err());
    }
    assert_eq!(stack_address(), before);
}
