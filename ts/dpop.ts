// DPoP (RFC 9449): the key pair the tokens are bound to, its proofs, and the nonces servers
// hand out. The proof's contents (header, claims, htu, ath, the key's thumbprint) are the
// core's; this file holds the key, signs with WebCrypto and retries once on a nonce challenge.
//
// The key: ECDSA P-256, its private half non-extractable, made for a sign-in and kept as long
// as tokens bound to it are held. With `storage: "memory"` it lives in memory; with any other
// storage in IndexedDB (a CryptoKey is stored as the browser's own object, never as bytes),
// so that a reload and the origin's other tabs keep the binding. Web Storage never sees it:
// the stored tokens name it by thumbprint only (`dpopJkt`).
import { core, type CoreRequest, type CoreResponse, type DpopBinding, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { send } from './http.js';

export interface DpopKey {
  pair: CryptoKeyPair;
  /** The public JWK (JSON), as WebCrypto exports it. */
  jwk: string;
  /** Its RFC 7638 thumbprint. */
  jkt: string;
}

const DB = 'okta-auth-wasm';
const STORE = 'dpop-keys';

/** IndexedDB, opened once per factory; null when the browser has none (or refuses it). */
const databases = new WeakMap<IDBFactory, Promise<IDBDatabase | null>>();

function database(ctx: Ctx): Promise<IDBDatabase | null> {
  const factory = ctx.env.indexedDB;
  if (!factory) return Promise.resolve(null);
  let db = databases.get(factory);
  if (!db) {
    db = new Promise<IDBDatabase | null>((resolve) => {
      try {
        const open = factory.open(DB, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(STORE);
        open.onsuccess = () => resolve(open.result);
        open.onerror = open.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    databases.set(factory, db);
  }
  return db;
}

/** One request on the key store; undefined when IndexedDB is unavailable or fails. */
async function stored<T>(ctx: Ctx, mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest): Promise<T | undefined> {
  const db = await database(ctx);
  if (!db) return undefined;
  return new Promise<T | undefined>((resolve) => {
    try {
      const r = f(db.transaction(STORE, mode).objectStore(STORE));
      r.onsuccess = () => resolve(r.result as T);
      r.onerror = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
}

/** Where a key is kept in IndexedDB: per client (issuer and client id) and key. */
const recordKey = (ctx: Ctx, jkt: string) => `${ctx.keys.tokens} ${jkt}`;

/** Keys in IndexedDB only while a redirect carries them across the navigation (memory storage). */
const persistent = (ctx: Ctx) => ctx.settings.storage !== 'memory';

function subtle(ctx: Ctx): SubtleCrypto {
  const s = ctx.env.subtle;
  if (!s) throw core.error('crypto', 'unavailable');
  return s;
}

/** A new key pair, its private half non-extractable, kept where the tokens will be. */
async function newKey(ctx: Ctx, acrossNavigation: boolean): Promise<DpopKey> {
  let key: DpopKey;
  try {
    const pair = await subtle(ctx).generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const jwk = JSON.stringify(await subtle(ctx).exportKey('jwk', pair.publicKey));
    key = { pair, jwk, jkt: core.dpopJkt(jwk) };
  } catch (e) {
    if ((e as { code?: string }).code) throw e;
    throw core.error('crypto', 'generate');
  }
  ctx.dpopKeys.set(key.jkt, key);
  if (persistent(ctx) || acrossNavigation) {
    await stored(ctx, 'readwrite', (s) => s.put({ pair: key.pair, jwk: key.jwk }, recordKey(ctx, key.jkt)));
  }
  return key;
}

/** The key `jkt` names: in memory, else in IndexedDB; `crypto_error` `dpop_key` when it is gone. */
export async function keyFor(ctx: Ctx, jkt: string): Promise<DpopKey> {
  const known = ctx.dpopKeys.get(jkt);
  if (known) return known;
  const record = await stored<{ pair: CryptoKeyPair; jwk: string }>(ctx, 'readonly', (s) => s.get(recordKey(ctx, jkt)));
  if (!record?.pair?.privateKey || typeof record.jwk !== 'string' || core.dpopJkt(record.jwk) !== jkt) {
    throw core.error('crypto', 'dpop_key');
  }
  const key = { pair: record.pair, jwk: record.jwk, jkt };
  ctx.dpopKeys.set(jkt, key);
  // A redirect carried a memory client's key across the navigation: back in memory, it leaves IndexedDB.
  if (!persistent(ctx)) await stored(ctx, 'readwrite', (s) => s.delete(recordKey(ctx, jkt)));
  return key;
}

/**
 * The key (its thumbprint) a sign-in binds its tokens to, "" without DPoP: the key of the
 * tokens held when it is still there (a renewal keeps the binding), else a new one.
 */
export async function signInKey(ctx: Ctx, flow: string): Promise<string> {
  if (!ctx.settings.dpop || flow === 'url') return '';
  const bound = ctx.held ? core.dpopBoundKey(ctx.config, ctx.held) : '';
  if (bound) {
    try {
      return (await keyFor(ctx, bound)).jkt;
    } catch {
      // Gone: the sign-in makes a new one, and its tokens replace the ones bound to it.
    }
  }
  return (await newKey(ctx, flow === 'redirect')).jkt;
}

/** Forgets the key `jkt` (memory and IndexedDB). */
export function dropKey(ctx: Ctx, jkt: string): void {
  ctx.dpopKeys.delete(jkt);
  void stored(ctx, 'readwrite', (s) => s.delete(recordKey(ctx, jkt)));
}

/** After a popup or silent sign-in failed: its key, unless the tokens held are bound to it. */
export function forgetUnused(ctx: Ctx, jkt: string): void {
  if (jkt && jkt !== ctx.boundKey) dropKey(ctx, jkt);
}

/**
 * Called whenever the tokens held change: the key of the tokens no longer held goes (a
 * sign-out, an expired refresh token, another tab's tokens bound to another key).
 */
export function rebind(ctx: Ctx): void {
  if (!ctx.settings.dpop) return;
  const jkt = ctx.held ? core.dpopBoundKey(ctx.config, ctx.held as StoredText) : '';
  if (ctx.boundKey && ctx.boundKey !== jkt) dropKey(ctx, ctx.boundKey);
  ctx.boundKey = jkt;
}

const b64url = (bytes: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The origin a nonce belongs to (RFC 9449 §8: per server). */
const originOf = (url: string) => new URL(url).origin;

/** A fresh DPoP proof for `method url` by the key of `binding`, with the server's latest nonce. */
export async function proof(ctx: Ctx, binding: DpopBinding, method: string, url: string, nonce = ctx.dpopNonces.get(originOf(url)) ?? ''): Promise<string> {
  const key = await keyFor(ctx, binding.jkt);
  const input = core.dpopProof(key.jwk, method, url, nonce, binding.ath ?? '', ctx.env.random(16), ctx.env.now());
  let signature: ArrayBuffer;
  try {
    signature = await subtle(ctx).sign({ name: 'ECDSA', hash: 'SHA-256' }, key.pair.privateKey, new TextEncoder().encode(input));
  } catch {
    throw core.error('crypto', 'sign');
  }
  return `${input}.${b64url(signature)}`;
}

/** Keeps the nonce a server sent (the latest one per server). */
export function noteNonce(ctx: Ctx, url: string, nonce: string | null): void {
  if (nonce) ctx.dpopNonces.set(originOf(url), nonce);
}

/**
 * Sends a request the core built; with a DPoP binding, with a proof, retried once with the
 * server's new nonce when it answers with a nonce challenge (RFC 9449 §8, §9).
 */
export async function sendBound(ctx: Ctx, request: CoreRequest, context: string): Promise<CoreResponse> {
  const binding = request.dpop;
  if (!binding) return send(ctx.env, request, context, ctx.settings.httpTimeoutMs);
  for (let attempt = 0; ; attempt++) {
    const headers: [string, string][] = [...request.headers, ['DPoP', await proof(ctx, binding, request.method, request.url)]];
    const r = await send(ctx.env, { ...request, headers }, context, ctx.settings.httpTimeoutMs);
    noteNonce(ctx, request.url, r.dpopNonce);
    if (attempt > 0 || !r.dpopNonce || !core.dpopNonceChallenge(r)) return r;
  }
}
