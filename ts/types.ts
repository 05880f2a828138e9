// The public types of the package: the options the app passes and what it gets back.

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
  /**
   * DPoP (RFC 9449), default `false`: the access and refresh tokens are bound to a key pair
   * made in this browser (ECDSA P-256, its private half non-extractable), so that a copied
   * token is useless without it. Every token request and every use of the access token
   * (userinfo, `fetch`, `authorizationHeaders`) carries a proof
   * signed by it. The key lives as long as the tokens: in memory with `"memory"` storage,
   * in IndexedDB otherwise. The provider must have DPoP on for this client (Okta: "Require
   * Demonstrating Proof of Possession (DPoP) header in token requests"); a token that comes
   * back unbound is refused with `dpop_not_bound`. Needs a `responseType` without `token`.
   */
  dpop?: boolean;
  /** Renew tokens in the background before they expire (a timer, re-checked on `visibilitychange` and `focus` since timers sleep in background tabs); failures fire `error`. Default `true`. */
  autoRenew?: boolean;
}

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

/** The events of `AuthClient.on`, and what each listener receives. */
export interface AuthEvents {
  /** Tokens of a user were stored (a sign-in, or another tab's). */
  added: Tokens;
  /** The same user's tokens were replaced by newer ones. */
  renewed: Tokens;
  /** The provider refused the refresh token: the tokens were dropped. */
  expired: Tokens;
  /** Tokens were removed (sign-out, revocation, another tab). */
  removed: Tokens;
  /** A background failure: renewal, storage. */
  error: import('./errors.js').AuthError;
}
