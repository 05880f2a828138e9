// WebCrypto, and the one rule the shell owns: claims are read only from a token whose
// signature crypto.subtle.verify accepted.
import { core, type IdTokenExpectText, type Jwk } from './core.js';
import type { Ctx } from './context.js';
import { keyFor, knownKey } from './provider.js';

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

/**
 * Keys imported, by the key objects of provider.ts's key choices: a warm verification
 * finds its key without building the cache key of `importKey`.
 */
const importedFor = new WeakMap<object, CryptoKey>();

/** The CryptoKey of `jwk`, imported once per issuer, kid and modulus (see `importedFor`). */
async function importKey(ctx: Ctx, jwk: Jwk): Promise<CryptoKey> {
  const id = `${ctx.settings.issuer} ${jwk.kid ?? ''} ${jwk.n} ${jwk.e}`;
  const cached = ctx.cryptoKeys.get(id);
  if (cached) {
    importedFor.set(jwk, cached);
    return cached;
  }
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
  importedFor.set(jwk, key);
  return key;
}

/** The token an expectation is for (the core put it there). */
function tokenOf(expect: IdTokenExpectText): string {
  return (JSON.parse(expect) as { token: string }).token;
}

/**
 * The claims (JSON text) of `token`, in this order and no other:
 * 1. the core checks the JWS's structure and header, alg included (before any request),
 *    then picks the provider's key for it (alg, kid, key size); the payload is only
 *    checked to be base64url;
 * 2. crypto.subtle.verify checks the RS256 signature with that key, over the signing
 *    input (RFC 7515 §5.2 step 8: the ASCII bytes before the last dot);
 * 3. only then does the core parse and check the claims (OpenID Connect Core §3.1.3.7).
 * A signature that does not verify fails with `invalid_signature`; nothing of the payload is read.
 */
export async function verifiedClaims(ctx: Ctx, expect: IdTokenExpectText, now: number, token = tokenOf(expect)): Promise<string> {
  // Warm (a known header, its key imported), no promise is awaited before verify's.
  const jwk = knownKey(ctx, token, now) ?? (await keyFor(ctx, token, VERIFIED_ALGS, now));
  const key = importedFor.get(jwk) ?? (await importKey(ctx, jwk));
  let ok: boolean;
  try {
    // The whole token checked again, with the provider's algorithms (keyFor knew them); its
    // parts are views of the core's memory, which verify copies before anything else runs.
    const parts = core.jwsParts(token, ctx.provider!.algs);
    ok = await subtle(ctx).verify('RSASSA-PKCS1-v1_5', key, parts.signature, parts.input);
  } catch (e) {
    if ((e as { code?: string }).code) throw e;
    throw core.error('crypto', 'verify');
  }
  if (!ok) throw core.error('invalid_signature');
  return core.validateIdToken(token, expect, now);
}
