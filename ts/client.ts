// AuthClient: the public API. Options in, Promises and AuthError out; every call is the
// effects of one file below it, with the core deciding each protocol question.
import { core, type StoredText } from './core.js';
import type { Ctx, Listener, Settings } from './context.js';
import { browserEnv, inPage, type Env } from './env.js';
import { AuthError } from './errors.js';
import { verifiedClaims } from './crypto.js';
import { buildRequest, coreValue, optionsJson } from './flow.js';
import { signInSilently } from './iframe.js';
import { signInWithPopup } from './popup.js';
import { handleRedirect, isRedirectCallback, signInWithRedirect } from './redirect.js';
import * as resources from './resources.js';
import * as events from './events.js';
import * as renewal from './renewal.js';
import type {
  AccessToken,
  AuthConfig,
  AuthEvents,
  AuthorizeUrl,
  IdToken,
  IdTokenClaims,
  Introspection,
  SignInOptions,
  SignOutOptions,
  TokenStorage,
  Tokens,
  UserInfo,
  VerifyIdTokenOptions,
} from './types.js';

const contexts = new WeakMap<AuthClient, Ctx>();
/** The browser effects of the next client built (the shell's tests pass fakes). */
let injected: Env | undefined;

/** @internal A client over `env` instead of the page's browser: the shell's tests. */
export function clientWith(config: AuthConfig, env: Env): AuthClient {
  injected = env;
  try {
    return new AuthClient(config);
  } finally {
    injected = undefined;
  }
}

/** The configuration as the JSON the core reads (a storage object becomes which methods it has). */
function configJson(config: unknown): { json: string; storage: TokenStorage | undefined } {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    return { json: JSON.stringify(config ?? null) ?? 'null', storage: undefined };
  }
  const out: Record<string, unknown> = {};
  let storage: TokenStorage | undefined;
  for (const [k, v] of Object.entries(config as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (k === 'storage' && typeof v === 'object' && v !== null) {
      const s = v as Record<string, unknown>;
      out[k] = {
        getItem: typeof s.getItem === 'function',
        setItem: typeof s.setItem === 'function',
        removeItem: typeof s.removeItem === 'function',
      };
      storage = v as TokenStorage;
    } else {
      out[k] = coreValue(v);
    }
  }
  return { json: JSON.stringify(out), storage };
}

/** An AuthError, or a failure of ours turned into one (`internal`), so callers see one type. */
function normalize(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  // Outside a page, a browser global missing is the likely cause: say so, not "a bug".
  return inPage() ? core.error('internal', e instanceof Error ? e.message : String(e)) : core.error('no_page');
}

async function guarded<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw normalize(e);
  }
}

/** @internal The state of a client, for the shell's tests. */
export function contextOf(client: AuthClient): Ctx {
  const ctx = contexts.get(client);
  if (!ctx) throw core.error('internal', 'not an AuthClient');
  return ctx;
}

/** Signs users in with Okta or any OpenID Connect provider. */
export class AuthClient {
  /**
   * Checks the whole configuration (an unusable value, or an option this version does not
   * know, throws `AuthError` `invalid_config` naming it) and starts the token manager.
   */
  constructor(config: AuthConfig) {
    let ctx: Ctx;
    try {
      const { json, storage } = configJson(config);
      const normalized = core.configure(json);
      const settings = JSON.parse(normalized) as Settings;
      ctx = {
        env: injected ?? browserEnv(),
        config: normalized,
        settings,
        keys: core.storageKeys(normalized),
        customStorage: storage,
        provider: undefined,
        providerPending: undefined,
        jwks: undefined,
        jwksPending: undefined,
        lastRefetch: -1,
        cryptoKeys: new Map(),
        keyChoices: undefined,
        popup: null,
        silent: undefined,
        redirect: undefined,
        held: '',
        lastRaw: null,
        loaded: false,
        renewal: undefined,
        listeners: new Map(),
        timer: undefined,
        schedule: () => {},
        verifyOptions: undefined,
        dpopKeys: new Map(),
        boundKey: '',
        dpopNonces: new Map(),
      };
    } catch (e) {
      throw normalize(e);
    }
    contexts.set(this, ctx);
    renewal.start(ctx);
  }

  /** The issuer, as configured. */
  get issuer(): string {
    return contextOf(this).settings.issuer;
  }
  /** The client id. */
  get clientId(): string {
    return contextOf(this).settings.clientId;
  }
  /** The configured redirect URI. */
  get redirectUri(): string {
    return contextOf(this).settings.redirectUri;
  }
  /** The configured scopes (default `["openid", "profile", "email"]`). */
  get scopes(): string[] {
    return [...contextOf(this).settings.scopes];
  }
  /** The configured response type (default `"code"`). */
  get responseType(): string {
    return contextOf(this).settings.responseType;
  }

  /** The authorize URL of a sign-in you run yourself, with what you must keep for its response. Nothing is stored. */
  buildAuthorizeUrl(options?: SignInOptions): Promise<AuthorizeUrl> {
    return guarded(async () => {
      const r = await buildRequest(contextOf(this), options, 'url');
      const out: AuthorizeUrl = { url: r.url, state: r.state, nonce: r.nonce };
      if (r.codeVerifier !== undefined) out.codeVerifier = r.codeVerifier;
      return out;
    });
  }

  /** Signs in in a popup. Call it directly in a click handler: the window opens synchronously. */
  signInWithPopup(options?: SignInOptions): Promise<Tokens> {
    const ctx = contextOf(this);
    return guarded(async () => view(ctx, await signInWithPopup(ctx, options)));
  }

  /** Signs in in a hidden iframe with `prompt=none`: works while the provider's session is alive. */
  signInSilently(options?: SignInOptions): Promise<Tokens> {
    const ctx = contextOf(this);
    return guarded(async () => view(ctx, await signInSilently(ctx, options, '')));
  }

  /** Navigates the page to the provider; `handleRedirect()` completes the sign-in when it comes back. */
  signInWithRedirect(options?: SignInOptions): Promise<void> {
    const ctx = contextOf(this);
    return guarded(() => signInWithRedirect(ctx, options));
  }

  /** Whether `url` (default: the page's) carries an authorization response. */
  isRedirectCallback(url?: string): boolean {
    return isRedirectCallback(contextOf(this), url);
  }

  /** Completes a redirect sign-in from `url` (default: the page's), and cleans the address bar. */
  handleRedirect(url?: string): Promise<{ tokens: Tokens; appState?: unknown }> {
    const ctx = contextOf(this);
    return guarded(async () => {
      const { stored, appState } = await handleRedirect(ctx, url);
      const out: { tokens: Tokens; appState?: unknown } = { tokens: view(ctx, stored) };
      if (appState !== '') {
        try {
          out.appState = JSON.parse(appState) as unknown;
        } catch {
          // Not JSON: written by no version of this library; left out.
        }
      }
      return out;
    });
  }

  /** Verifies an ID token: signature against the issuer's keys, then every claim rule. */
  async verifyIdToken(idToken: string, options?: VerifyIdTokenOptions): Promise<IdTokenClaims> {
    // Not through guarded(): one promise less on a call apps make often.
    try {
      const ctx = contextOf(this);
      // The core's reading of the options, kept for the next call with the same ones.
      const json = optionsJson(options);
      if (ctx.verifyOptions?.[0] !== json) ctx.verifyOptions = [json, core.verifyOptions(ctx.config, json)];
      const checks = ctx.verifyOptions[1];
      return JSON.parse(await verifiedClaims(ctx, checks.expect, checks.now ?? ctx.env.now(), idToken)) as IdTokenClaims;
    } catch (e) {
      throw normalize(e);
    }
  }

  /** The userinfo claims of the signed-in user (`sub` checked against the ID token's). */
  getUser(): Promise<UserInfo> {
    const ctx = contextOf(this);
    return guarded(() => resources.getUser(ctx));
  }

  /** RFC 7662 introspection of any token. */
  introspect(token: string, tokenTypeHint?: string): Promise<Introspection> {
    const ctx = contextOf(this);
    return guarded(() => resources.introspect(ctx, token, tokenTypeHint));
  }

  /** Revokes the access token held, then drops it. */
  revokeAccessToken(): Promise<void> {
    const ctx = contextOf(this);
    return guarded(() => resources.revoke(ctx, 'access'));
  }

  /** Revokes the refresh token held, then drops it. */
  revokeRefreshToken(): Promise<void> {
    const ctx = contextOf(this);
    return guarded(() => resources.revoke(ctx, 'refresh'));
  }

  /**
   * `fetch()` for the app's own API: the same arguments and the server's Response, with the
   * access token held (renewed first when due) as `Authorization: Bearer`, or with `dpop:
   * true` as `Authorization: DPoP` plus a fresh `DPoP` proof; a resource server's DPoP nonce
   * challenge is answered once. Rejects as fetch() does on a network failure or an abort,
   * otherwise with AuthError (`not_authenticated` without an access token).
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const ctx = contextOf(this);
    return resources.apiFetch(ctx, input, init).catch((e: unknown) => {
      throw e instanceof TypeError || (e as { name?: string })?.name === 'AbortError' ? e : normalize(e);
    });
  }

  /**
   * The headers that authorize a request you send yourself: `Authorization` (Bearer or DPoP)
   * and, with `dpop: true`, a `DPoP` proof for exactly this `method` (default GET) and `url`
   * (relative to the page). A proof is single-use: ask again for each request. After a
   * `401` with `WWW-Authenticate: DPoP error="use_dpop_nonce"`, ask again with the answer's
   * `DPoP-Nonce` as `nonce`.
   */
  authorizationHeaders(request: { url: string | URL; method?: string; nonce?: string }): Promise<Record<string, string>> {
    const ctx = contextOf(this);
    return guarded(async () => {
      const here = ctx.env.window.location?.href;
      const url = (here ? new URL(request.url, here) : new URL(request.url)).href;
      const { headers } = await resources.authorization(ctx, request.method ?? 'GET', url, request.nonce);
      return Object.fromEntries(headers);
    });
  }

  /** Clears the tokens everywhere, revokes them, and navigates to the provider's logout. */
  signOut(options?: SignOutOptions): Promise<void> {
    const ctx = contextOf(this);
    return guarded(() => resources.signOut(ctx, optionsJson(options)));
  }

  /** The tokens held, each renewed first when it is due. */
  getTokens(): Promise<Tokens> {
    const ctx = contextOf(this);
    return guarded(async () => {
      const held = await renewal.getTokens(ctx, 'all');
      return held ? view(ctx, held) : {};
    });
  }

  /** The ID token held, renewed first when it is due. */
  getIdToken(): Promise<IdToken | undefined> {
    const ctx = contextOf(this);
    return guarded(async () => {
      const held = await renewal.getTokens(ctx, 'id');
      return held ? view(ctx, held).idToken : undefined;
    });
  }

  /** The access token held, renewed first when it is due. */
  getAccessToken(): Promise<AccessToken | undefined> {
    const ctx = contextOf(this);
    return guarded(async () => {
      const held = await renewal.getTokens(ctx, 'access');
      return held ? view(ctx, held).accessToken : undefined;
    });
  }

  /** Whether an ID or access token is held (renewed if due). Never rejects. */
  isAuthenticated(): Promise<boolean> {
    return renewal.isAuthenticated(contextOf(this));
  }

  /** Renews the tokens now: a refresh token grant if one is held, else a silent sign-in. */
  renewTokens(): Promise<Tokens> {
    const ctx = contextOf(this);
    return guarded(async () => view(ctx, await renewal.renewTokens(ctx)));
  }

  /** Calls `listener` on each `event`. */
  on<K extends keyof AuthEvents>(event: K, listener: (payload: AuthEvents[K]) => void): void {
    try {
      events.on(contextOf(this), event, listener as Listener);
    } catch (e) {
      throw normalize(e);
    }
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof AuthEvents>(event: K, listener: (payload: AuthEvents[K]) => void): void {
    try {
      events.off(contextOf(this), event, listener as Listener);
    } catch (e) {
      throw normalize(e);
    }
  }
}

function view(ctx: Ctx, stored: StoredText): Tokens {
  return events.view(ctx, stored);
}
