// Layer 2's one set of fixtures: a fake window (location, history, storage, popups,
// iframes, messages, timers), a fake network with a fake OpenID Provider behind it, and a
// clock. The shell takes them through its injected Env, so nothing global is patched.
import type { Env } from '../../ts/env.js';
import type { AuthConfig } from '../../ts/types.js';
import { clientWith } from '../../ts/client.js';
import type { AuthClient } from '../../ts/client.js';

/** 2023-11-14: the clock of every test unless it says otherwise. */
export const NOW = 1_700_000_000;
export const ISSUER = 'https://dev-1.okta.com/oauth2/default';
export const IDP_ORIGIN = 'https://dev-1.okta.com';
export const CLIENT_ID = '0oa1spa';
export const APP_ORIGIN = 'https://app.example';
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;

export class Clock {
  constructor(public seconds = NOW) {}
  now = (): number => this.seconds;
}

const b64url = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const b64urlText = (text: string): string => b64url(new TextEncoder().encode(text));

/** at_hash / c_hash for RS256: base64url of the left half of SHA-256(ASCII(value)). */
export async function halfHash(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return b64url(digest.slice(0, 16));
}

/** An RSA key pair that signs compact JWS (RS256), and its public JWK. */
export class Signer {
  private constructor(readonly jwk: JsonWebKey & { kid: string }, private readonly key: CryptoKey) {}

  static async create(kid = 'test-key', modulusLength = 2048): Promise<Signer> {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const exported = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return new Signer({ kty: 'RSA', n: exported.n!, e: exported.e!, kid, alg: 'RS256', use: 'sig' }, pair.privateKey);
  }

  /** `payload` as JSON (or a string used byte for byte), signed. */
  async sign(payload: object | string, header: object = { alg: 'RS256', kid: this.jwk.kid, typ: 'JWT' }): Promise<string> {
    const input = b64urlText(JSON.stringify(header)) + '.' + b64urlText(typeof payload === 'string' ? payload : JSON.stringify(payload));
    const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', this.key, new TextEncoder().encode(input));
    return input + '.' + b64url(sig);
  }
}

/** A response of the fake network: fixed, computed, or a network failure. */
export type Answer = { status?: number; headers?: Record<string, string>; body?: unknown } | 'network-error';
export type Route = Answer | ((request: Request, body: string) => Answer | Promise<Answer>);

/** The fake network: routes by URL (without query); every request is logged. */
export class Net {
  readonly routes = new Map<string, Route>();
  readonly log: { url: string; method: string; body: string; headers: Record<string, string> }[] = [];

  route(url: string, route: Route): this {
    this.routes.set(url, route);
    return this;
  }

  /** The requests to `url` (without query). */
  to(url: string): { url: string; method: string; body: string; headers: Record<string, string> }[] {
    return this.log.filter((r) => r.url.split('?')[0] === url);
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = request.method === 'GET' ? '' : await request.clone().text();
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    this.log.push({ url: request.url, method: request.method, body, headers });
    const route = this.routes.get(request.url.split('?')[0] ?? '');
    const answer = typeof route === 'function' ? await route(request, body) : route;
    if (answer === undefined || answer === 'network-error') throw new TypeError('Failed to fetch');
    if (request.signal.aborted) throw new DOMException('aborted', 'AbortError');
    const text = typeof answer.body === 'string' || answer.body === undefined ? (answer.body as string | undefined) ?? '' : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status ?? 200, headers: { 'content-type': 'application/json', ...answer.headers } });
  };
}

/** A Storage in memory (also a TokenStorage). */
export class MemoryStorage implements Storage {
  readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, String(v));
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
  clear(): void {
    this.map.clear();
  }
  [name: string]: unknown;
}

/** Timers that fire only when the test says (`advance`), or real ones. */
export class Timers {
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void; every?: number }>();
  private elapsed = 0;
  constructor(readonly manual: boolean) {}

  set(fn: () => void, ms: number, every?: number): number {
    if (!this.manual) return every === undefined ? (setTimeout(fn, ms) as unknown as number) : (setInterval(fn, every) as unknown as number);
    const id = this.next++;
    this.pending.set(id, { at: this.elapsed + ms, fn, ...(every === undefined ? {} : { every }) });
    return id;
  }

  clear(id: number | undefined): void {
    if (id === undefined) return;
    if (!this.manual) {
      clearTimeout(id);
      clearInterval(id);
    } else this.pending.delete(id);
  }

  /** The delays (ms) of the timers armed now. */
  armed(): number[] {
    return [...this.pending.values()].map((t) => t.every ?? t.at - this.elapsed);
  }

  /** Runs every timer due within `ms`, in order. */
  advance(ms: number): void {
    const end = this.elapsed + ms;
    for (;;) {
      let first: [number, { at: number; fn: () => void; every?: number }] | undefined;
      for (const entry of this.pending) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      const [id, t] = first;
      this.elapsed = t.at;
      if (t.every === undefined) this.pending.delete(id);
      else t.at += t.every;
      t.fn();
    }
    this.elapsed = end;
  }
}

/** A window the shell can use: everything it touches, observable by the test. */
export class FakeWindow extends EventTarget {
  readonly assigned: string[] = [];
  readonly replacedState: string[] = [];
  readonly opened: FakePopup[] = [];
  /** window.open() returns null (a popup blocker) while false. */
  allowPopups = true;
  href: string;
  readonly sessionStorage = new MemoryStorage();
  readonly localStorage = new MemoryStorage();
  readonly document: FakeDocument;
  readonly history = {
    state: null as unknown,
    replaceState: (state: unknown, _title: string, url: string) => {
      this.history.state = state;
      this.replacedState.push(url);
      this.href = new URL(url, this.href).href;
    },
  };

  constructor(readonly timers = new Timers(false), href = `${APP_ORIGIN}/`) {
    super();
    this.href = href;
    this.document = new FakeDocument();
  }

  get location(): { href: string; origin: string; assign(url: string): void } {
    return {
      href: this.href,
      origin: new URL(this.href).origin,
      assign: (url: string) => {
        this.assigned.push(url);
      },
    };
  }

  /** The arguments of every window.open() call, blocked or not. */
  readonly openCalls: [url: string, target: string, features: string][] = [];

  open(url: string, target: string, features: string): FakePopup | null {
    this.openCalls.push([url, target, features]);
    if (!this.allowPopups) return null;
    const popup = new FakePopup();
    this.opened.push(popup);
    return popup;
  }

  private readonly listening = new Map<string, Set<unknown>>();
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
    if (listener) (this.listening.get(type) ?? this.listening.set(type, new Set()).get(type)!).add(listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
    this.listening.get(type)?.delete(listener);
  }
  /** How many listeners of `type` are added and not removed (left behind, once a flow ended). */
  listeners(type: string): number {
    return this.listening.get(type)?.size ?? 0;
  }

  setTimeout(fn: () => void, ms: number): number {
    return this.timers.set(fn, ms);
  }
  clearTimeout(id?: number): void {
    this.timers.clear(id);
  }
  setInterval(fn: () => void, ms: number): number {
    return this.timers.set(fn, ms, ms);
  }
  clearInterval(id?: number): void {
    this.timers.clear(id);
  }

  /** A `message` event as a browser delivers it: any origin and any source (forged or not). */
  post(data: unknown, origin: string, source: unknown): void {
    const event = new Event('message');
    Object.defineProperties(event, { data: { value: data }, origin: { value: origin }, source: { value: source } });
    this.dispatchEvent(event);
  }
}

export class FakePopup {
  closed = false;
  focused = 0;
  readonly loaded: string[] = [];
  readonly location = { replace: (url: string) => void this.loaded.push(url) };
  close(): void {
    this.closed = true;
  }
  focus(): void {
    this.focused++;
  }
}

export class FakeIframe {
  readonly style: Record<string, string> = {};
  readonly attributes = new Map<string, string>();
  readonly contentWindow = { iframe: this };
  src = '';
  /** `src` when the iframe was put into the page. */
  srcAtInsert: string | undefined;
  removed = false;
  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }
  remove(): void {
    this.removed = true;
  }
}

export class FakeDocument extends EventTarget {
  visibilityState = 'visible';
  readonly frames: FakeIframe[] = [];
  readonly body = {
    insertAdjacentElement: (_where: string, element: FakeIframe) => {
      element.srcAtInsert = element.src;
      this.frames.push(element);
      return element;
    },
  };
  readonly documentElement = this.body;
  createElement(_tag: string): FakeIframe {
    return new FakeIframe();
  }
  /** The silent sign-in iframes still in the page. */
  live(): FakeIframe[] {
    return this.frames.filter((f) => !f.removed);
  }
}

/** Everything one test's client runs on. */
export interface World {
  clock: Clock;
  net: Net;
  window: FakeWindow;
  env: Env;
  provider: FakeProvider;
}

/** A fake window, network, clock and provider; `manualTimers` to drive timers by hand. */
export async function world({ manualTimers = false, href }: { manualTimers?: boolean; href?: string } = {}): Promise<World> {
  const clock = new Clock();
  const net = new Net();
  const window = new FakeWindow(new Timers(manualTimers), href);
  const env: Env = {
    window: window as unknown as Window,
    fetch: net.fetch as typeof fetch,
    now: clock.now,
    random: (n) => crypto.getRandomValues(new Uint8Array(n)),
    subtle: crypto.subtle,
    locks: navigator.locks,
    indexedDB,
  };
  const provider = await FakeProvider.create(net, clock);
  return { clock, net, window, env, provider };
}

/** A client of the fake provider on `w`, with `config` over the defaults. */
export function client(w: World, config: Partial<AuthConfig> = {}): AuthClient {
  return clientWith({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, ...config } as AuthConfig, w.env);
}

interface Grant {
  nonce: string;
  challenge: string;
  redirectUri: string;
  scope: string;
  /** RFC 9449 §10: the key the code is bound to. */
  dpopJkt: string | null;
}

/** A DPoP proof a fake server accepted: what it read of it, and its key's thumbprint. */
export interface Proof {
  header: { typ: string; alg: string; jwk: Record<string, unknown> };
  claims: { jti: string; htm: string; htu: string; iat: number; nonce?: string; ath?: string };
  jkt: string;
}

/** base64url(SHA-256(ASCII(text))): `ath`, and RFC 7638 thumbprints. */
export async function sha256(text: string): Promise<string> {
  return b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The RFC 7638 thumbprint of an EC public key, computed here (not by the core). */
export const thumbprint = (jwk: Record<string, unknown>): Promise<string> =>
  sha256(`{"crv":"${String(jwk.crv)}","kty":"${String(jwk.kty)}","x":"${String(jwk.x)}","y":"${String(jwk.y)}"}`);

const fromB64url = (s: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * RFC 9449 §4.3, as a server checks a proof: one compact JWS, typ dpop+jwt, alg ES256, a
 * public P-256 jwk (no `d`) that verifies the signature, `htm` and `htu` (no query) of this
 * request, `iat` within a minute of `now`, a `jti` not seen before (`seen`), `ath` of
 * `accessToken` when given. Throws an Error naming the first failed check.
 */
export async function checkProof(
  proof: string | null,
  request: { method: string; url: string; now: number; seen: Set<string>; accessToken?: string },
): Promise<Proof> {
  if (!proof) throw new Error('no DPoP header');
  const parts = proof.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const decode = (s: string) => JSON.parse(new TextDecoder().decode(fromB64url(s)));
  const header = decode(parts[0]!);
  const claims = decode(parts[1]!);
  if (header.typ !== 'dpop+jwt' || header.alg !== 'ES256') throw new Error('typ or alg');
  const jwk = header.jwk ?? {};
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) throw new Error('jwk');
  const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, fromB64url(parts[2]!), signed))) throw new Error('signature');
  if (claims.htm !== request.method) throw new Error(`htm ${claims.htm}`);
  if (claims.htu !== request.url.split(/[?#]/)[0]) throw new Error(`htu ${claims.htu}`);
  if (typeof claims.iat !== 'number' || Math.abs(claims.iat - request.now) > 60) throw new Error('iat');
  if (typeof claims.jti !== 'string' || !claims.jti || request.seen.has(claims.jti)) throw new Error('jti');
  request.seen.add(claims.jti);
  if (request.accessToken !== undefined ? claims.ath !== (await sha256(request.accessToken)) : 'ath' in claims) throw new Error('ath');
  return { header, claims, jkt: await thumbprint(jwk) };
}

/**
 * An Okta custom authorization server behind the fake network, with Okta's paths. It signs
 * ID tokens with `signer`, redeems its codes once (PKCE S256 checked) and rotates refresh
 * tokens. Tests change its answers through `claims`, `tokenAnswer` or the routes.
 */
export class FakeProvider {
  readonly endpoints = {
    authorize: `${ISSUER}/v1/authorize`,
    token: `${ISSUER}/v1/token`,
    keys: `${ISSUER}/v1/keys`,
    userinfo: `${ISSUER}/v1/userinfo`,
    introspect: `${ISSUER}/v1/introspect`,
    revoke: `${ISSUER}/v1/revoke`,
    logout: `${ISSUER}/v1/logout`,
  };
  readonly grants = new Map<string, Grant>();
  readonly refreshTokens = new Set<string>();
  /** Claims added to (or, as undefined, removed from) every ID token it signs. */
  claims: Record<string, unknown> = {};
  sub = '00u1alice';
  private counter = 0;
  /** The query of the last authorize URL read. */
  authorize: URLSearchParams = new URLSearchParams();
  /**
   * DPoP, as Okta does it when on: a proof is required at the token endpoint, with this
   * nonce (a first request gets use_dpop_nonce); `bearer` answers an unbound token anyway.
   */
  dpop: { nonce: string; bearer?: boolean } | undefined;
  /** The proofs the token and userinfo endpoints accepted, in order; jti seen. */
  readonly proofs: Proof[] = [];
  readonly jtis = new Set<string>();
  /** The key each DPoP-bound access or refresh token is bound to. */
  readonly bindings = new Map<string, string>();

  private constructor(readonly net: Net, readonly clock: Clock, readonly signer: Signer) {
    net.route(this.endpoints.keys, () => ({ body: { keys: [this.signer.jwk] } }));
    net.route(this.endpoints.token, (r, body) => this.token(new URLSearchParams(body), r));
    net.route(this.endpoints.userinfo, (r) => this.userinfo(r));
    net.route(this.endpoints.revoke, () => ({ status: 200, body: '' }));
    net.route(this.endpoints.introspect, () => ({ body: { active: true, client_id: CLIENT_ID } }));
  }

  static async create(net: Net, clock: Clock): Promise<FakeProvider> {
    return new FakeProvider(net, clock, await Signer.create());
  }

  /** A signed ID token for `nonce`, with `claims` over the defaults (undefined removes one). */
  async idToken(nonce: string | undefined, claims: Record<string, unknown> = {}): Promise<string> {
    const now = this.clock.seconds;
    const payload: Record<string, unknown> = { iss: ISSUER, sub: this.sub, aud: CLIENT_ID, iat: now, exp: now + 3600, nonce, ...this.claims, ...claims };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete payload[k];
    return this.signer.sign(payload);
  }

  /** Reads an authorize URL and issues a code for it: the response parameters to deliver. */
  answer(url: string): Record<string, string> {
    const q = new URL(url).searchParams;
    this.authorize = q;
    const code = `code-${++this.counter}`;
    this.grants.set(code, {
      nonce: q.get('nonce') ?? '',
      challenge: q.get('code_challenge') ?? '',
      redirectUri: q.get('redirect_uri') ?? '',
      scope: q.get('scope') ?? '',
      dpopJkt: q.get('dpop_jkt'),
    });
    return { code, state: q.get('state') ?? '' };
  }

  /** Userinfo: a DPoP-bound access token needs the DPoP scheme and a proof with its ath. */
  private async userinfo(r: Request): Promise<Answer> {
    const [scheme = '', token = ''] = (r.headers.get('authorization') ?? '').split(' ');
    const jkt = this.bindings.get(token);
    if (jkt) {
      const refuse = (why: string) => ({ status: 401, headers: { 'www-authenticate': `DPoP error="invalid_token", error_description="${why}"` }, body: '' });
      if (scheme !== 'DPoP') return refuse('a DPoP-bound token sent as Bearer');
      try {
        const p = await checkProof(r.headers.get('dpop'), { method: 'GET', url: r.url, now: this.clock.seconds, seen: this.jtis, accessToken: token });
        if (p.jkt !== jkt) return refuse('another key');
        this.proofs.push(p);
      } catch (e) {
        return refuse(String((e as Error).message));
      }
    }
    return { body: { sub: this.sub, name: 'Alice' } };
  }

  private async token(form: URLSearchParams, request: Request): Promise<Answer> {
    const bad = (error: string) => ({ status: 400, body: { error, error_description: `fake provider: ${error}` } });
    if (form.get('client_id') !== CLIENT_ID) return bad('invalid_client');
    let jkt: string | undefined;
    if (this.dpop && request.headers.has('dpop')) {
      let p: Proof;
      try {
        p = await checkProof(request.headers.get('dpop'), { method: 'POST', url: request.url, now: this.clock.seconds, seen: this.jtis });
      } catch {
        return bad('invalid_dpop_proof');
      }
      if (p.claims.nonce !== this.dpop.nonce) {
        return { status: 400, headers: { 'dpop-nonce': this.dpop.nonce }, body: { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' } };
      }
      this.proofs.push(p);
      jkt = p.jkt;
    }
    let nonce: string | undefined;
    let scope = '';
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.grants.get(form.get('code') ?? '');
      if (!grant) return bad('invalid_grant');
      if (grant.dpopJkt !== null && grant.dpopJkt !== jkt) return bad('invalid_grant');
      this.grants.delete(form.get('code') ?? '');
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(form.get('code_verifier') ?? ''));
      if (b64url(digest) !== grant.challenge || form.get('redirect_uri') !== grant.redirectUri) return bad('invalid_grant');
      nonce = grant.nonce;
      scope = grant.scope;
    } else if (form.get('grant_type') === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      if (this.bindings.get(rt) !== jkt) return bad('invalid_grant');
      if (!this.refreshTokens.delete(rt)) return bad('invalid_grant');
      scope = 'openid profile email offline_access';
    } else return bad('unsupported_grant_type');
    const n = ++this.counter;
    const bound = jkt !== undefined && !this.dpop?.bearer;
    const body: Record<string, unknown> = { token_type: bound ? 'DPoP' : 'Bearer', expires_in: 3600, access_token: `at-${n}`, scope };
    if (scope.split(' ').includes('openid')) body.id_token = await this.idToken(nonce);
    if (scope.split(' ').includes('offline_access')) {
      body.refresh_token = `rt-${n}`;
      this.refreshTokens.add(`rt-${n}`);
    }
    if (bound) {
      this.bindings.set(`at-${n}`, jkt!);
      if (body.refresh_token) this.bindings.set(`rt-${n}`, jkt!);
    }
    return { body };
  }
}

/** Resolves once `f()` is truthy (polled every 5 ms), or rejects after `ms`. */
export async function until<T>(f: () => T, what: string, ms = 5000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A stored value in the library's format (version 1) for the provider's user: an ID token
 * and an access token `at-0` that expire at `exp`, and the refresh token `rt-0`, which the
 * provider then accepts (once: it rotates). `extra` replaces members (undefined removes one).
 */
export async function storedTokens(w: World, exp: number, extra: Record<string, unknown> = {}): Promise<string> {
  const value: Record<string, unknown> = {
    version: 1,
    issuer: ISSUER,
    clientId: CLIENT_ID,
    idToken: await w.provider.idToken(undefined, { exp }),
    accessToken: { value: 'at-0', expiresAt: exp, scopes: ['openid', 'offline_access'], tokenType: 'Bearer' },
    refreshToken: 'rt-0',
    ...extra,
  };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  if (typeof value.refreshToken === 'string') w.provider.refreshTokens.add(value.refreshToken);
  return JSON.stringify(value);
}

/** Every event of a client, in order: `record(c)` listens to all five. */
export interface Recorder {
  events: [string, unknown][];
  names(): string[];
  /** The payload of the last event called `name`. */
  last(name: string): any;
}

export function record(c: AuthClient): Recorder {
  const events: [string, unknown][] = [];
  for (const name of ['added', 'renewed', 'expired', 'removed', 'error'] as const) {
    c.on(name, (payload: unknown) => void events.push([name, payload]));
  }
  return {
    events,
    names: () => events.map((e) => e[0]),
    last: (name) => [...events].reverse().find((e) => e[0] === name)?.[1],
  };
}

/** A promise a fake answer can wait on (`wait`), until the test calls `open()`. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** A popup sign-in of `c`, answered by the provider: the tokens it stored. */
export async function popupSignIn(w: World, c: AuthClient, options?: Parameters<AuthClient['signInWithPopup']>[0]): Promise<Awaited<ReturnType<AuthClient['signInWithPopup']>>> {
  const opened = w.window.opened.length;
  const signIn = c.signInWithPopup(options);
  const popup = w.window.opened[opened];
  if (!popup) throw new Error('no popup opened');
  const url = await until(() => popup.loaded[0], 'the authorize URL loaded in the popup');
  w.window.post(w.provider.answer(url), IDP_ORIGIN, popup);
  return signIn;
}
