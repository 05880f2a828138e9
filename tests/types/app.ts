// Every public name of okta-auth-wasm, used as an app would, under tsc --strict (the types
// layer checks it with moduleResolution bundler and nodenext, skipLibCheck false, lib
// ES2020 + DOM, against the packed package). The @ts-expect-error lines are mistakes the
// types must refuse: if one compiles, tsc reports the unused directive and the layer fails.
import init, { AuthClient, AuthError, initSync } from 'okta-auth-wasm';
import type {
  AccessToken, AuthConfig, AuthEvents, AuthorizeUrl, Endpoints, IdToken, IdTokenClaims, Introspection,
  RefreshToken, SignInOptions, SignOutOptions, TokenStorage, TokenStorageOption, Tokens, UserInfo,
  VerifyIdTokenOptions,
} from 'okta-auth-wasm';
import initSlim, { AuthClient as SlimClient, initSync as initSlimSync } from 'okta-auth-wasm/slim';
import wasmFile from 'okta-auth-wasm/okta_auth_wasm_bg.wasm';

const storage: TokenStorage = { getItem: (k) => sessionStorage.getItem(k), setItem: (k, v) => sessionStorage.setItem(k, v), removeItem: (k) => sessionStorage.removeItem(k) };
const endpoints: Partial<Endpoints> = { token: 'https://id.example/token' };
const option: TokenStorageOption = 'localStorage';
const config: AuthConfig = {
  issuer: 'https://dev-1.okta.com/oauth2/default',
  clientId: '0oa1spa',
  redirectUri: 'https://app.example/callback',
  postLogoutRedirectUri: 'https://app.example/',
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  responseType: 'code',
  storage: Math.random() > 0.5 ? storage : option,
  clockSkewSeconds: 60,
  expireEarlySeconds: 30,
  popupTimeoutMs: 60_000,
  silentTimeoutMs: 5_000,
  httpTimeoutMs: 10_000,
  popupResponseMode: 'okta_post_message',
  endpoints,
  autoRenew: true,
  dpop: false,
};
// @ts-expect-error: an option the library does not know
const misspelt: AuthConfig = { issuer: 'https://x', clientId: 'c', redirectUri: 'https://a/', clientID: 'c' };
// @ts-expect-error: issuer is required
const missing: AuthConfig = { clientId: 'c', redirectUri: 'https://a/' };
void misspelt;
void missing;

await init();
await init(new URL('https://cdn.example/okta_auth_wasm_bg.wasm'));
initSync(new Uint8Array(0));
initSync({ module: new ArrayBuffer(0) });
await initSlim('/assets/okta_auth_wasm_bg.wasm');
initSlimSync(new Uint8Array(0));
const asset: unknown = wasmFile;
void asset;

const client = new AuthClient(config);
const slim: SlimClient = new SlimClient(config);
void slim;
const getters: [string, string, string, string[], string] = [client.issuer, client.clientId, client.redirectUri, client.scopes, client.responseType];
void getters;

const options: SignInOptions = { scopes: ['openid'], prompt: 'login', maxAge: 300, loginHint: 'jane', extraParams: { foo: 'bar' }, appState: { returnTo: '/' } };
// No options argument is required anywhere.
const fromPopup: Tokens = await client.signInWithPopup();
await client.signInWithPopup(options);
const fromSilent: Tokens = await client.signInSilently();
await client.signInWithRedirect();
await client.signInWithRedirect(options);
const url: AuthorizeUrl = await client.buildAuthorizeUrl();
const verifier: string | undefined = url.codeVerifier;
void verifier;
if (client.isRedirectCallback() || client.isRedirectCallback('https://app.example/callback?code=x&state=y')) {
  const { tokens, appState }: { tokens: Tokens; appState?: unknown } = await client.handleRedirect();
  void tokens;
  void appState;
}
const verifyOptions: VerifyIdTokenOptions = { nonce: url.nonce, maxAge: 300 };
const claims: IdTokenClaims = await client.verifyIdToken('eyJ...', verifyOptions);
const sub: string = claims.sub;
const audience: string | string[] = claims.aud;
const other: unknown = claims.email;
void [sub, audience, other];
const user: UserInfo = await client.getUser();
const introspection: Introspection = await client.introspect('token', 'access_token');
const active: boolean = introspection.active;
void [user.sub, active];
await client.revokeAccessToken();
await client.revokeRefreshToken();
// The app's own API: fetch's arguments and Response; the headers for another HTTP client.
const api: Response = await client.fetch('https://api.example/orders', { method: 'POST', body: '{}' });
const apiByRequest: Response = await client.fetch(new Request('https://api.example/orders'));
const headers: Record<string, string> = await client.authorizationHeaders({ url: 'https://api.example/orders', method: 'PUT', nonce: 'n' });
const headersForUrl: Record<string, string> = await client.authorizationHeaders({ url: new URL('https://api.example/') });
// @ts-expect-error: the URL is required
await client.authorizationHeaders({ method: 'GET' });
// @ts-expect-error: dpop is a boolean
const dpopAsString: AuthConfig = { ...config, dpop: 'yes' };
void [api.status, apiByRequest.ok, headers.Authorization, headersForUrl.DPoP, dpopAsString];
const signOut: SignOutOptions = { revoke: false, local: true };
await client.signOut();
await client.signOut(signOut);
const tokens: Tokens = await client.getTokens();
const id: IdToken | undefined = await client.getIdToken();
const access: AccessToken | undefined = await client.getAccessToken();
const refresh: RefreshToken | undefined = tokens.refreshToken;
const signedIn: boolean = await client.isAuthenticated();
const renewed: Tokens = await client.renewTokens();
void [fromPopup, fromSilent, id?.claims.sub, access?.value, access?.scopes, refresh?.value, signedIn, renewed];

// Each listener gets its event's payload.
const onRenewed = (t: Tokens) => t.accessToken?.value;
client.on('renewed', onRenewed);
client.off('renewed', onRenewed);
client.on('added', (t) => t.idToken?.claims.sub);
client.on('renewed', (t) => t.accessToken);
client.on('expired', (t) => t.refreshToken);
client.on('removed', (t) => t.idToken);
client.on('error', (e) => e.code);
client.on('error', (e) => e.oauthError?.toUpperCase());
const payload: AuthEvents['error'] = new AuthError('timeout', 'timeout: x', 'x');
void payload;
// @ts-expect-error: no such event
client.on('signedIn', () => {});
// @ts-expect-error: an error listener gets an AuthError, not Tokens
client.on('error', (t: Tokens) => t.accessToken);
// @ts-expect-error: a token event's payload has no code
client.on('renewed', (e) => e.code);

try {
  new AuthClient(config);
} catch (e) {
  if (e instanceof AuthError) {
    const fields: [string, string, string, string | undefined, string] = [e.code, e.message, e.description, e.oauthError, e.name];
    void fields;
  }
}
// AuthError is constructed with its own fields, not Error's.
const made = new AuthError('invalid_config', 'invalid_config: issuer is required', 'issuer is required', undefined);
// @ts-expect-error: AuthError needs a code, a message and a description
new AuthError('only a message');
const asError: Error = made;
void asError;
