// The Rust core, as the shell sees it: plain synchronous functions, strings and bytes in,
// strings out (src/exports.rs), behind one door (src/abi.rs): no generated glue, no imports.
// The core keeps nothing between calls; the shell holds every piece of state as the opaque
// text the core produced and hands it back.
//
// Every core function returns a string. One that starts with "\u0001" is an error:
// "\u0001code\u0001message\u0001description" plus "\u0001oauthError" when the provider sent
// one. `run` turns it into the AuthError thrown to the app.
import { AuthError } from './errors.js';

/** The normalized configuration (JSON), from `configure`. */
export type ConfigText = string & { readonly __brand: 'ConfigText' };
/** A sign-in's transaction (form-encoded), from `buildAuthorizeRequest`. */
export type TransactionText = string & { readonly __brand: 'TransactionText' };
/** An authorization response that passed every check (JSON), from `validate*Response`. */
export type ValidatedResponse = string & { readonly __brand: 'ValidatedResponse' };
/** A token endpoint answer that passed every check (JSON), from `processTokenResponse`. */
export type TokenResponseText = string & { readonly __brand: 'TokenResponseText' };
/** What an ID token must satisfy (JSON), from the core, for `validateIdToken`. */
export type IdTokenExpectText = string & { readonly __brand: 'IdTokenExpectText' };
/** The tokens held, in their one stored format (JSON), from the core. */
export type StoredText = string & { readonly __brand: 'StoredText' };
/** A JWK set that passed `processJwksResponse` (JSON). */
export type JwksText = string & { readonly __brand: 'JwksText' };

/** The provider's endpoints and rules, from `providerFromConfig` or discovery. */
export interface Provider {
  authorize: string;
  token: string;
  keys: string;
  userinfo?: string;
  introspect?: string;
  revoke?: string;
  logout?: string;
  /** RFC 9207: authorization responses must carry `iss`. */
  issRequired: boolean;
  /** The JWS algorithms accepted for ID tokens, comma-separated ("RS256"). */
  algs: string;
  /** RFC 9449: the provider does DPoP with ES256 (discovery), or the app says so (`dpop: true`). */
  dpop: boolean;
}

/**
 * A request's DPoP binding (RFC 9449): add a `DPoP` header with a proof (`dpopProof`) by the
 * key of thumbprint `jkt`, with `ath` when given.
 */
export interface DpopBinding {
  jkt: string;
  ath?: string;
}

/** An HTTP request the core built; the shell sends it as is. */
export interface CoreRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: [string, string][];
  body?: string;
  dpop?: DpopBinding;
}

/** What the shell hands the core about an HTTP answer. */
export interface CoreResponse {
  status: number;
  contentType: string;
  wwwAuthenticate: string;
  body: Uint8Array;
  /** The `DPoP-Nonce` header (RFC 9449 §8), null without one. */
  dpopNonce: string | null;
}

const ERROR = '\u0001';

/** The AuthError an error text of the core describes. */
function toError(text: string): AuthError {
  const [, code = 'internal', message = 'internal', description = '', oauthError] = text.split(ERROR);
  return new AuthError(code, message, description, oauthError);
}

/** The core's answer, or its error thrown as AuthError. */
export function run(text: string): string {
  if (text.charCodeAt(0) === 1) throw toError(text);
  return text;
}

interface CoreExports {
  memory: WebAssembly.Memory;
  okta_buf(len: number): number;
  okta_call(fn: number): number;
  okta_out(): number;
}

/** What init() accepts: the .wasm's URL, a Response or fetch of it, its bytes, or a compiled Module. */
export type WasmSource = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/**
 * The .wasm itself, as hex, in the package's default entry (scripts/pkg.mjs defines it with
 * esbuild): the core then starts on first use, with no init() and no file to resolve. The
 * `/slim` entry leaves it undefined and loads the .wasm next to itself in init().
 */
declare const OKTA_WASM_HEX: string;
/**
 * The hex, named once: esbuild writes a defined value wherever it is named. Tests of
 * `typeof OKTA_WASM_HEX` fold to a constant, so each entry keeps only its own loader.
 */
const inlined: string | undefined = typeof OKTA_WASM_HEX === 'string' ? OKTA_WASM_HEX : undefined;

let module: WebAssembly.Module | undefined;
let wasm: CoreExports | undefined;
let ready: Promise<void> | undefined;

function start(m: WebAssembly.Module, instance?: WebAssembly.Instance): void {
  module = m;
  wasm = (instance ?? new WebAssembly.Instance(m, {})).exports as unknown as CoreExports;
}

/** The inlined .wasm's bytes (Uint8Array.fromHex where the engine has it). */
function inlinedBytes(hex: string): Uint8Array<ArrayBuffer> {
  const fromHex = (Uint8Array as unknown as { fromHex?(h: string): Uint8Array<ArrayBuffer> }).fromHex;
  if (fromHex) return fromHex(hex);
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0, c; i < out.length; i++) {
    c = hex.charCodeAt(2 * i);
    let b = (c > 57 ? c - 87 : c - 48) << 4;
    c = hex.charCodeAt(2 * i + 1);
    out[i] = b | (c > 57 ? c - 87 : c - 48);
  }
  return out;
}

async function compile(source: WasmSource): Promise<void> {
  // Whichever load finishes first is the one instance: a later one (a source given after the
  // core already started) changes nothing.
  const use = (m: WebAssembly.Module, i?: WebAssembly.Instance) => {
    if (!wasm) start(m, i);
  };
  if (source instanceof WebAssembly.Module) return use(source);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const r = await WebAssembly.instantiate(source, {});
    return use(r.module, r.instance);
  }
  const response = await (source instanceof Response || source instanceof Promise ? source : fetch(source));
  if (!response.ok) throw new AuthError('internal', `internal: failed to fetch the okta-auth-wasm .wasm: HTTP ${response.status}`, `failed to fetch the okta-auth-wasm .wasm: HTTP ${response.status}`);
  if (typeof WebAssembly.instantiateStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    const r = await WebAssembly.instantiateStreaming(response, {});
    return use(r.module, r.instance);
  }
  const r = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  use(r.module, r.instance);
}

/**
 * Loads the wasm once; any number of concurrent or repeated calls share the one instance.
 * `source` defaults to the inlined .wasm (default entry) or the .wasm next to this module
 * (`/slim`).
 */
export function init(source?: WasmSource | { module_or_path: WasmSource }): Promise<void> {
  if (wasm) return Promise.resolve();
  if (!ready) {
    const s = source !== null && typeof source === 'object' && 'module_or_path' in source ? source.module_or_path : source;
    ready = compile(s ?? (typeof OKTA_WASM_HEX === 'string' ? inlinedBytes(inlined!) : new URL('okta_auth_wasm_bg.wasm', import.meta.url)));
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}

/** Synchronous initialisation from bytes or a compiled Module (Node, tests). */
export function initFromBytes(bytes: BufferSource | WebAssembly.Module): void {
  if (!wasm) start(bytes instanceof WebAssembly.Module ? bytes : new WebAssembly.Module(bytes));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The core's functions, numbered as its door numbers them (src/abi.rs, `door!`): the same
 * names in the same order, which a native test checks. A const enum: the bundle holds the
 * numbers only.
 */
const enum Fn {
  configure,
  provider_from_config,
  discovery_url,
  process_discovery_response,
  authorize_random_length,
  build_authorize_request,
  is_redirect_callback,
  redirect_states,
  transaction_status,
  cleaned_location,
  transaction_app_state,
  validate_redirect_response,
  validate_message,
  front_id_token_expect,
  back_id_token_expect,
  refresh_id_token_expect,
  verify_options,
  validate_id_token,
  jws_key,
  jws_parts,
  process_jwks_response,
  jwks_action,
  code_exchange_request,
  refresh_request,
  renewal_path,
  process_token_response,
  complete_sign_in,
  complete_refresh,
  invalid_grant_outcome,
  parse_stored,
  tokens_view,
  change_event,
  renewal_due,
  validate_renewed,
  renewal_delay,
  storage_keys,
  userinfo_request,
  process_userinfo_response,
  introspect_request,
  process_introspect_response,
  revoke_request,
  process_revoke_response,
  without_token,
  sign_out_options,
  end_session_url,
  make_error,
  dpop_proof,
  dpop_jkt,
  dpop_nonce_challenge,
  api_request,
  dpop_bound_key,
}

/** Views of the wasm memory, made again only when memory.grow replaced its buffer. */
let buffer: ArrayBuffer | undefined;
let bytes = new Uint8Array(new ArrayBuffer(0));
let view = new DataView(bytes.buffer);

/**
 * Writes `s` as UTF-8 at `at` (room for 3 bytes per UTF-16 unit is there); its length.
 * ASCII strings of up to 256 units are copied by hand: TextEncoder.encodeInto has a fixed
 * cost of about 0.5 µs in Chromium, which a loop only passes at about 300 characters.
 */
function put(s: string, at: number): number {
  const n = s.length;
  if (n <= 256) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 127) break;
      bytes[at + i] = c;
    }
    if (i === n) return n;
  }
  return enc.encodeInto(s, bytes.subarray(at)).written;
}

/** The UTF-8 text of `n` bytes at `at`; short ASCII answers ("1", "use", "") decoded by hand. */
function get(at: number, n: number): string {
  if (n <= 32) {
    let s = '';
    let i = 0;
    for (; i < n; i++) {
      const c = bytes[at + i]!;
      if (c > 127) break;
      s += String.fromCharCode(c);
    }
    if (i === n) return s;
  }
  return dec.decode(bytes.subarray(at, at + n));
}

/**
 * Calls the core's function `fn` with `args` (src/abi.rs says how they are laid out) and
 * returns its answer's length; the answer is at `wasm.okta_out()` until the next call. A
 * trap (a bug of ours: the core never panics on input) fails this call with `internal`, and
 * the next call runs on a fresh instance of the compiled module: the core holds no state.
 */
function invoke(fn: Fn, args: (string | Uint8Array | number)[]): number {
  if (!wasm && typeof OKTA_WASM_HEX === 'string') {
    try {
      start(new WebAssembly.Module(inlinedBytes(inlined!)));
    } catch (e) {
      const text = `the browser refused to compile okta-auth-wasm's WebAssembly (${String(e)}); a Content-Security-Policy needs script-src 'wasm-unsafe-eval'`;
      throw new AuthError('internal', `internal: ${text}`, text);
    }
  }
  const x = wasm;
  if (!x || !module) {
    const text = "okta-auth-wasm/slim is not loaded yet: `await init()` (once, anywhere; it loads okta_auth_wasm_bg.wasm) before the first AuthClient, or import 'okta-auth-wasm', which needs no init()";
    throw new AuthError('not_initialized', `not_initialized: ${text}`, text);
  }
  // Strings are encoded straight into the argument buffer (sized for the worst case, 3
  // bytes per UTF-16 unit), each behind its 4-byte length.
  let len = 0;
  for (const a of args) len += 4 + (typeof a === 'string' ? 3 * a.length : typeof a === 'number' ? 8 : a.length);
  try {
    let at = x.okta_buf(len);
    let n: number;
    views(x);
    for (const a of args) {
      if (typeof a === 'string') n = put(a, at + 4);
      else if (typeof a === 'number') {
        view.setFloat64(at + 4, a, true);
        n = 8;
      } else {
        bytes.set(a, at + 4);
        n = a.length;
      }
      view.setUint32(at, n, true);
      at += 4 + n;
    }
    n = x.okta_call(fn);
    views(x);
    return n;
  } catch (e) {
    start(module);
    const text = `the core stopped on an internal error (${String(e)})`;
    throw new AuthError('internal', `internal: ${text}`, text);
  }
}

/** Makes the views of the wasm memory again if memory.grow (or a fresh instance) replaced it. */
function views(x: CoreExports): void {
  if (x.memory.buffer !== buffer) {
    buffer = x.memory.buffer;
    bytes = new Uint8Array(buffer);
    view = new DataView(buffer);
  }
}

/** The core's text answer to `fn(...args)`. */
function call(fn: Fn, ...args: (string | Uint8Array | number)[]): string {
  const n = invoke(fn, args);
  return get(wasm!.okta_out(), n);
}

/** A key of the provider's JWK set, as the core picked it for a JWS. */
export interface Jwk {
  kid?: string;
  n: string;
  e: string;
}

/**
 * What crypto.subtle.verify needs of a JWS, from `jws_parts`: views of the core's memory,
 * valid until the next call of the core (WebCrypto copies them when called).
 */
export interface JwsParts {
  signature: Uint8Array<ArrayBuffer>;
  /** RFC 7515 §5.2 step 8: the bytes before the last dot. */
  input: Uint8Array<ArrayBuffer>;
}

const bool = (s: string) => s === '1';

/** The core's own calls. Names and arguments mirror src/exports.rs. */
export const core = {
  /** Validates the app's configuration (its JSON form) and applies the defaults. */
  configure: (input: string) => run(call(Fn.configure, input)) as ConfigText,
  /** The endpoints known without discovery, or null: then fetch `discoveryUrl`. */
  providerFromConfig(config: ConfigText): Provider | null {
    const text = run(call(Fn.provider_from_config, config));
    return text === '' ? null : (JSON.parse(text) as Provider);
  },
  discoveryUrl: (config: ConfigText) => run(call(Fn.discovery_url, config)),
  processDiscoveryResponse: (config: ConfigText, r: CoreResponse) =>
    JSON.parse(run(call(Fn.process_discovery_response, config, r.status, r.contentType, r.body))) as Provider,
  /** How many random bytes one authorize request needs. */
  randomLength: () => Number(call(Fn.authorize_random_length)),
  /**
   * The authorize request of one sign-in. `flow`: "url" (buildAuthorizeUrl), "redirect",
   * "popup" or "silent". `options`: the app's SignInOptions as JSON (appState already a
   * JSON string). `pageOrigin`: location.origin. `dpopJkt`: the DPoP key's thumbprint with
   * `dpop: true`, else "".
   */
  buildAuthorizeRequest(
    config: ConfigText,
    provider: Provider,
    options: string,
    flow: 'url' | 'redirect' | 'popup' | 'silent',
    random: Uint8Array,
    pageOrigin: string,
    now: number,
    dpopJkt: string,
  ): AuthorizeRequestOut {
    return JSON.parse(
      run(call(Fn.build_authorize_request, config, JSON.stringify(provider), options, flow, random, pageOrigin, now, dpopJkt)),
    ) as AuthorizeRequestOut;
  },
  isRedirectCallback: (search: string, hash: string) => bool(call(Fn.is_redirect_callback, search, hash)),
  redirectStates: (search: string, hash: string) => JSON.parse(run(call(Fn.redirect_states, search, hash))) as string[],
  transactionStatus: (config: ConfigText, text: string, state: string, now: number) =>
    run(call(Fn.transaction_status, config, text, state, now)) as 'live' | 'expired' | 'foreign' | 'corrupt',
  /** The search and hash to leave in the address bar once the response is read, or null. */
  cleanedLocation(transaction: TransactionText, search: string, hash: string): { search: string; hash: string } | null {
    const text = run(call(Fn.cleaned_location, transaction, search, hash));
    return text === '' ? null : (JSON.parse(text) as { search: string; hash: string });
  },
  transactionAppState: (transaction: TransactionText) => run(call(Fn.transaction_app_state, transaction)),
  validateRedirectResponse: (config: ConfigText, provider: Provider, transaction: TransactionText, search: string, hash: string) =>
    run(call(Fn.validate_redirect_response, config, JSON.stringify(provider), transaction, search, hash)) as ValidatedResponse,
  /** A message event's data (JSON.stringify-ed): null when it is not this sign-in's answer. */
  validateMessage(config: ConfigText, provider: Provider, transaction: TransactionText, data: string): ValidatedResponse | null {
    const text = run(call(Fn.validate_message, config, JSON.stringify(provider), transaction, data));
    return text === '' ? null : (text as ValidatedResponse);
  },
  frontIdTokenExpect(config: ConfigText, transaction: TransactionText, validated: ValidatedResponse): IdTokenExpectText | null {
    const text = run(call(Fn.front_id_token_expect, config, transaction, validated));
    return text === '' ? null : (text as IdTokenExpectText);
  },
  codeExchangeRequest(config: ConfigText, provider: Provider, transaction: TransactionText, validated: ValidatedResponse): CoreRequest | null {
    const text = run(call(Fn.code_exchange_request, config, JSON.stringify(provider), transaction, validated));
    return text === '' ? null : (JSON.parse(text) as CoreRequest);
  },
  /** `dpopJkt`: the `jkt` of the request's `dpop` binding, or "" (then token_type must be Bearer). */
  processTokenResponse: (r: CoreResponse, dpopJkt: string) =>
    run(call(Fn.process_token_response, r.status, r.contentType, r.wwwAuthenticate, r.body, dpopJkt)) as TokenResponseText,
  backIdTokenExpect(config: ConfigText, transaction: TransactionText, answer: TokenResponseText): IdTokenExpectText | null {
    const text = run(call(Fn.back_id_token_expect, config, transaction, answer));
    return text === '' ? null : (text as IdTokenExpectText);
  },
  /** Every ID token in `validated` and `answer` has passed `verifiedClaims` before this call. */
  completeSignIn: (
    config: ConfigText,
    transaction: TransactionText,
    validated: ValidatedResponse,
    answer: TokenResponseText | '',
    renewing: StoredText | '',
    now: number,
  ) => run(call(Fn.complete_sign_in, config, transaction, validated, answer, renewing, now)) as StoredText,
  /** RFC 6749 §6 with the held refresh token, or a silent sign-in. */
  renewalPath: (config: ConfigText, held: StoredText) => run(call(Fn.renewal_path, config, held)) as 'refresh' | 'silent',
  refreshRequest: (config: ConfigText, provider: Provider, held: StoredText) =>
    JSON.parse(run(call(Fn.refresh_request, config, JSON.stringify(provider), held))) as CoreRequest,
  refreshIdTokenExpect(config: ConfigText, held: StoredText, answer: TokenResponseText): IdTokenExpectText | null {
    const text = run(call(Fn.refresh_id_token_expect, config, held, answer));
    return text === '' ? null : (text as IdTokenExpectText);
  },
  /** The ID token in `answer`, if any, has passed `verifiedClaims` before this call. */
  completeRefresh: (config: ConfigText, held: StoredText, answer: TokenResponseText, now: number) =>
    run(call(Fn.complete_refresh, config, held, answer, now)) as StoredText,
  /** After invalid_grant: "current" (another tab renewed: use what is held now) or "expired". */
  invalidGrantOutcome: (config: ConfigText, sent: StoredText, current: StoredText | '', now: number) =>
    run(call(Fn.invalid_grant_outcome, config, sent, current, now)) as 'current' | 'expired',
  /** The checks for verifyIdToken's options (JSON), and the time they freeze, if any. */
  verifyOptions: (config: ConfigText, options: string) =>
    JSON.parse(run(call(Fn.verify_options, config, options))) as { expect: IdTokenExpectText; now?: number },
  /**
   * What crypto.subtle.verify needs of `token` (its payload is not read), or what jwsKey
   * would throw before any key set is needed (malformed_jwt, unsupported_alg, ...).
   */
  jwsParts(token: string, algs: string): JwsParts {
    const n = invoke(Fn.jws_parts, [token, algs]);
    const at = wasm!.okta_out();
    if (bytes[at] === 1) throw toError(get(at, n));
    const length = view.getUint32(at + 1, true);
    return { signature: bytes.subarray(at + 5, at + 5 + length), input: bytes.subarray(at + 5 + length, at + n) };
  },
  /** The key for `token` in `jwks` ({kid?, n, e}); errors: malformed_jwt, unsupported_alg, key_not_found, ... */
  jwsKey: (token: string, algs: string, jwks: JwksText) => JSON.parse(run(call(Fn.jws_key, token, algs, jwks))) as Jwk,
  processJwksResponse: (r: CoreResponse) =>
    run(call(Fn.process_jwks_response, r.status, r.contentType, r.wwwAuthenticate, r.body)) as JwksText,
  /** "use" the cached set, "fetch" a new one, or "refetch" it because the key is missing (rate-limited). */
  jwksAction: (fetchedAt: number, lastRefetch: number, now: number, keyMissing: boolean) =>
    run(call(Fn.jwks_action, fetchedAt, lastRefetch, now, keyMissing ? 1 : 0)) as 'use' | 'fetch' | 'refetch',
  /**
   * The claims (JSON) of an ID token whose signature crypto.subtle.verify accepted. Only
   * `verifiedClaims` (crypto.ts) calls it.
   */
  validateIdToken: (token: string, expect: IdTokenExpectText, now: number) => run(call(Fn.validate_id_token, token, expect, now)),
  /** Reads a stored value: its normalized text, or an error (corrupt, foreign, ...). */
  parseStored: (config: ConfigText, text: string) => run(call(Fn.parse_stored, config, text)) as StoredText,
  /** The app's view of stored tokens: the Tokens object as JSON. */
  tokensView: (config: ConfigText, stored: StoredText) => run(call(Fn.tokens_view, config, stored)),
  changeEvent: (config: ConfigText, old: StoredText | '', next: StoredText | '') =>
    run(call(Fn.change_event, config, old, next)) as '' | 'added' | 'renewed' | 'removed',
  renewalDue: (config: ConfigText, stored: StoredText, which: 'all' | 'id' | 'access', now: number) =>
    bool(run(call(Fn.renewal_due, config, stored, which, now))),
  validateRenewed: (config: ConfigText, stored: StoredText, which: 'all' | 'id' | 'access', now: number) => {
    run(call(Fn.validate_renewed, config, stored, which, now));
  },
  /** Seconds until the next renewal, or -1 for none. */
  renewalDelay: (config: ConfigText, stored: StoredText, now: number) => Number(run(call(Fn.renewal_delay, config, stored, now))),
  storageKeys: (config: ConfigText) =>
    JSON.parse(run(call(Fn.storage_keys, config))) as { tokens: string; marker: string; lock: string; transactionPrefix: string },
  userinfoRequest: (config: ConfigText, provider: Provider, held: StoredText | '') =>
    JSON.parse(run(call(Fn.userinfo_request, config, JSON.stringify(provider), held))) as CoreRequest,
  /** The userinfo claims as JSON text (sub checked against the held ID token's). */
  processUserinfoResponse: (config: ConfigText, held: StoredText, r: CoreResponse) =>
    run(call(Fn.process_userinfo_response, config, held, r.status, r.contentType, r.wwwAuthenticate, r.body)),
  /** `held`: a DPoP-bound access token held goes along (Authorization: DPoP, with its binding). */
  introspectRequest: (config: ConfigText, provider: Provider, token: string, hint: string) =>
    JSON.parse(run(call(Fn.introspect_request, config, JSON.stringify(provider), token, hint))) as CoreRequest,
  processIntrospectResponse: (r: CoreResponse) =>
    run(call(Fn.process_introspect_response, r.status, r.contentType, r.wwwAuthenticate, r.body)),
  /** Revokes `which` of `held`; "" token means: take it from held (not_authenticated if absent). */
  revokeRequest: (config: ConfigText, provider: Provider, held: StoredText | '', which: 'access' | 'refresh') =>
    JSON.parse(run(call(Fn.revoke_request, config, JSON.stringify(provider), held, which))) as CoreRequest & { token: string },
  processRevokeResponse: (r: CoreResponse) => {
    run(call(Fn.process_revoke_response, r.status, r.contentType, r.wwwAuthenticate, r.body));
  },
  /** `held` without the revoked token: remaining ("" = nothing left) and removed, or null when `token` is no longer held. */
  withoutToken(config: ConfigText, held: StoredText, which: 'access' | 'refresh', token: string): { remaining: StoredText | ''; removed: StoredText } | null {
    const text = run(call(Fn.without_token, config, held, which, token));
    return text === '' ? null : (JSON.parse(text) as { remaining: StoredText | ''; removed: StoredText });
  },
  signOutOptions: (options: string) =>
    JSON.parse(run(call(Fn.sign_out_options, options))) as { revoke: boolean; local: boolean; postLogoutRedirectUri?: string; state?: string },
  /** The end-session URL, or "" when the provider has no logout endpoint. */
  endSessionUrl: (config: ConfigText, provider: Provider, held: StoredText | '', options: string) =>
    run(call(Fn.end_session_url, config, JSON.stringify(provider), held, options)),
  /** An error of the shell's own (popup_closed, timeout, network, ...), with the core's texts. */
  error: (kind: string, detail = ''): AuthError => toError(call(Fn.make_error, kind, detail)),
  /**
   * RFC 9449 §4.2: the signing input of a DPoP proof; sign it with ES256 and append "." and
   * the signature's base64url. `jwk`: JSON.stringify(exportKey('jwk', publicKey)); `url`: a
   * `new URL().href`; `nonce` and `ath` "" when none; `random`: 16 bytes for `jti`.
   */
  dpopProof: (jwk: string, method: string, url: string, nonce: string, ath: string, random: Uint8Array, now: number) =>
    run(call(Fn.dpop_proof, jwk, method, url, nonce, ath, random, now)),
  /** RFC 7638: the SHA-256 JWK thumbprint of a public key (JSON). */
  dpopJkt: (jwk: string) => run(call(Fn.dpop_jkt, jwk)),
  /** Whether the answer asks for a (new) DPoP nonce (RFC 9449 §8, §9): retry once with its DPoP-Nonce. */
  dpopNonceChallenge: (r: CoreResponse) =>
    bool(run(call(Fn.dpop_nonce_challenge, r.status, r.contentType, r.wwwAuthenticate, r.body))),
  /** The app's own API call with the held access token: its Authorization header, and the DPoP binding of a bound token. */
  apiRequest: (config: ConfigText, held: StoredText | '', method: string, url: string) =>
    JSON.parse(run(call(Fn.api_request, config, held, method, url))) as { headers: [string, string][]; dpop?: DpopBinding },
  /** The thumbprint of the DPoP key the stored tokens are bound to, or "". */
  dpopBoundKey: (config: ConfigText, stored: StoredText | '') => run(call(Fn.dpop_bound_key, config, stored)),
};

export interface AuthorizeRequestOut {
  url: string;
  state: string;
  nonce: string;
  codeVerifier?: string;
  transaction: TransactionText;
  /** Popup and silent sign-in: the origin the response message must come from. */
  origin?: string;
}

