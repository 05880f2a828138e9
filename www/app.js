// The demo app: what a frontend developer copies. With a bundler, import from 'okta-auth-wasm'.
import { AuthClient, AuthError } from '/pkg/index.js';
// The embedded OpenID Provider of `make demo` (an Okta org authorization server's shape):
// scripts/demo.mjs serves its issuer here, http://127.0.0.1:4000 unless DEMO_ORG_PORT says
// otherwise. For Okta: 'https://{yourOktaDomain}' or 'https://{yourOktaDomain}/oauth2/default'.
// `resourceUrl`: the demo's resource server (dev-idp/resource.mjs), an API that takes the access token.
import { issuer, resourceUrl } from './demo-config.js';

// DPoP (sender-constrained tokens) is the provider's choice per app: the demo provider has a
// second client for it. The checkbox reloads the page with the other client.
const dpop = sessionStorage.getItem('demo-dpop') === '1';
const client = new AuthClient({
  issuer,
  clientId: dpop ? 'demo-spa-dpop' : 'demo-spa',
  redirectUri: `${location.origin}/`,
  postLogoutRedirectUri: `${location.origin}/`,
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  dpop,
});

const $ = (id) => document.getElementById(id);
$('issuer').textContent = client.issuer;
$('client-id').textContent = client.clientId;

// textContent, never innerHTML: claims and error descriptions can carry user input.
function show(state, text, details) {
  $('status').dataset.state = state;
  $('status').textContent = text;
  $('output').textContent = typeof details === 'string' ? details : JSON.stringify(details, null, 2);
}

function showTokens(tokens) {
  show('signed-in', `Signed in as ${tokens.idToken.claims.name ?? tokens.idToken.claims.sub}`, {
    idTokenClaims: tokens.idToken.claims,
    accessToken: { tokenType: tokens.accessToken?.tokenType, scopes: tokens.accessToken?.scopes, expiresAt: tokens.accessToken?.expiresAt },
    refreshToken: tokens.refreshToken ? 'held' : 'none',
  });
}

function showError(e) {
  if (!(e instanceof AuthError)) throw e;
  // e.code is stable ("popup_closed", "login_required", ...); e.message explains it.
  show('error', `AuthError ${e.code}`, e.message);
}

// Wraps a button's action: every outcome is shown, nothing is thrown at the page.
function on(id, action) {
  $(id).disabled = false;
  $(id).addEventListener('click', () => action().catch(showError));
}

// signInWithPopup() opens its window synchronously: call it directly in the click handler.
on('popup', () => client.signInWithPopup().then(showTokens));
on('silent', () => client.signInSilently().then(showTokens));
on('redirect', () => client.signInWithRedirect({ appState: { returnTo: location.pathname } }));
// With a refresh token (offline_access) a renewal is one token request; without one it is a
// silent sign-in in a hidden iframe. The token manager also renews by itself (autoRenew).
on('renew', () => client.renewTokens().then(showTokens));
on('user', () => client.getUser().then((user) => show('signed-in', 'User info', user)));
// The app's own API: client.fetch adds the access token (and with DPoP a fresh proof).
on('api', async () => {
  const r = await client.fetch(`${resourceUrl}/api/profile`);
  show(r.ok ? 'signed-in' : 'error', `API answered ${r.status}`, await r.json().catch(() => ''));
});
on('revoke', () => client.revokeAccessToken().then(() => show('ready', 'Access token revoked', '')));
on('signout', () => client.signOut());
$('dpop').checked = dpop;
$('dpop').disabled = false;
$('dpop').addEventListener('change', () => {
  sessionStorage.setItem('demo-dpop', $('dpop').checked ? '1' : '0');
  location.reload();
});

// Coming back from the provider after signInWithRedirect()?
if (client.isRedirectCallback()) {
  try {
    const { tokens, appState } = await client.handleRedirect();
    showTokens(tokens);
    console.log('back from the provider; app state:', appState);
  } catch (e) {
    showError(e);
  }
} else {
  show('ready', 'Ready. Sign in with one of the buttons.', '');
}
