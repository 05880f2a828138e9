// WebCrypto, and the one rule the shell owns: claims are read only from a token whose
// signature crypto.subtle.verify accepted.
import { core, type IdTokenExpectText } from './core.js';
import type { Ctx } from './context.js';
import { keyFor } from './provider.js';

const RS256: RsaHashedImportParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
/** The JWS algorithms this file verifies (RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256). */
const VERIFIED_ALGS = 'RS256';
/** Imported keys kept per client: a provider publishes a handful. */
export const MAX_CACHED_KEYS = 16;

function subtle(ctx: Ctx): SubtleCrypto {
  const s = ctx.env.subtle;
  if (!s) throw core.error('crypto', 'unavailable');
  return s;
}

async function importKey(ctx: Ctx, jwk: { kid?: string; n: string; e: string }): Promise<CryptoKey> {
  const id = `${ctx.settings.issuer} ${jwk.kid ?? ''} ${jwk.n} ${jwk.e}`;
  const cached = ctx.cryptoKeys.get(id);
  if (cached) return cached;
  let key: CryptoKey;
  try {
    key = await subtle(ctx).importKey('jwk', { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true }, RS256, false, ['verify']);
  } catch (e) {
    if ((e as { code?: string }).code) throw e;
    throw core.error('crypto', 'import');
  }
  if (ctx.cryptoKeys.size >= MAX_CACHED_KEYS) {
    const oldest = ctx.cryptoKeys.keys().next();
    if (!oldest.done) ctx.cryptoKeys.delete(oldest.value);
  }
  ctx.cryptoKeys.set(id, key);
  return key;
}

function base64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** JWS signing input (RFC 7515 §5.2 step 8): the ASCII bytes before the last dot. */
function signingInput(token: string): Uint8Array<ArrayBuffer> {
  const end = token.lastIndexOf('.');
  const out = new Uint8Array(end);
  for (let i = 0; i < end; i++) out[i] = token.charCodeAt(i);
  return out;
}

/** The token an expectation is for (the core put it there). */
function tokenOf(expect: IdTokenExpectText): string {
  return (JSON.parse(expect) as { token: string }).token;
}

/**
 * The claims (JSON text) of `token`, in this order and no other:
 * 1. the core parses the JWS and checks its alg (before any request), then picks the
 *    provider's key for it (alg, kid, key size);
 * 2. crypto.subtle.verify checks the RS256 signature with that key;
 * 3. only then does the core read and check the claims (OpenID Connect Core §3.1.3.7).
 * A signature that does not verify fails with `invalid_signature`; nothing of the payload is read.
 */
export async function verifiedClaims(ctx: Ctx, expect: IdTokenExpectText, now: number, token = tokenOf(expect)): Promise<string> {
  const jwk = await keyFor(ctx, token, VERIFIED_ALGS, now);
  const key = await importKey(ctx, jwk);
  let ok: boolean;
  try {
    ok = await subtle(ctx).verify('RSASSA-PKCS1-v1_5', key, base64urlBytes(token.slice(token.lastIndexOf('.') + 1)), signingInput(token));
  } catch (e) {
    if ((e as { code?: string }).code) throw e;
    throw core.error('crypto', 'verify');
  }
  if (!ok) throw core.error('invalid_signature');
  return core.validateIdToken(token, expect, now);
}
