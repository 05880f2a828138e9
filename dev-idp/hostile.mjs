// The embedded provider's hostile switch (`POST /__test/hostile?case=NAME`, loopback only):
// the next ID tokens, key sets and authorization responses are bent the way an attacker or a
// broken provider would bend them, one case at a time, so the end-to-end suite can check that
// the library refuses each with its stable error code. `case=off` (or an empty case) ends it.
import { createHmac, createPrivateKey, createPublicKey, createSign } from 'node:crypto';
import { generateRsaSigningJwk } from './keys.mjs';

/** Each case: what it does, and the error code the library must refuse it with. */
export const HOSTILE_CASES = {
  alg_none: { code: 'malformed_jwt', what: 'alg "none" and an empty signature: an unsecured JWT' },
  alg_none_signed: { code: 'unsupported_alg', what: 'alg "none" over the RS256 signature' },
  hs256_public_key: { code: 'unsupported_alg', what: 'HS256 with the RSA public key (PEM) as the HMAC secret' },
  unknown_kid: { code: 'key_not_found', what: 'signed by a key that is not published, under a kid of its own' },
  no_kid_two_keys: { code: 'ambiguous_key', what: 'no kid, while two keys are published' },
  other_key: { code: 'invalid_signature', what: "the published key's kid, signed by another key" },
  expired: { code: 'expired', what: 'exp an hour ago' },
  iat_future: { code: 'issued_in_future', what: 'iat an hour ahead' },
  nbf_future: { code: 'not_yet_valid', what: 'nbf an hour ahead' },
  wrong_iss: { code: 'issuer_mismatch', what: 'iss of another server' },
  iss_trailing_slash: { code: 'issuer_mismatch', what: 'iss with a trailing slash' },
  aud_without_client: { code: 'audience_mismatch', what: 'aud naming only another client' },
  audiences_without_azp: { code: 'audience_mismatch', what: 'aud naming the client and another, no azp' },
  replaced_nonce: { code: 'nonce_mismatch', what: 'a nonce of another request' },
  wrong_at_hash: { code: 'at_hash_mismatch', what: 'at_hash of another access token' },
  wrong_c_hash: { code: 'c_hash_mismatch', what: 'c_hash of another code (hybrid response)' },
  key_1024: { code: 'key_too_small', what: 'signed by a published 1024-bit RSA key' },
  huge_token: { code: 'malformed_jwt', what: 'an ID token of 1 MB' },
  html_error_description: { code: 'access_denied', what: 'an error response whose error_description is HTML' },
};

export const HTML_ERROR_DESCRIPTION = '<img src=x onerror="window.top.pwned=1"><script>window.top.pwned=1</script>';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());
const now = () => Math.floor(Date.now() / 1000);

// Through keys.mjs: a plain generate-then-export can deadlock Node 20 (see there).
const rsaKey = (bits) => generateRsaSigningJwk(bits);

const publicPart = ({ kty, n, e, kid, alg, use }) => ({ kty, n, e, kid, alg, use });

function signRs256(header, payload, jwk) {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey({ key: jwk, format: 'jwk' }));
  return `${input}.${signature.toString('base64url')}`;
}

/** One switch per authorization server. `signingKey()` gives the provider's current private JWK. */
export function hostileSwitch({ signingKey }) {
  let current = null;
  // Made once and kept: a published small key and an unpublished one.
  const small = rsaKey(1024);
  const stranger = rsaKey(2048);
  const spare = rsaKey(2048);

  return {
    get case() { return current; },
    set(name) {
      if (name && name !== 'off' && !Object.hasOwn(HOSTILE_CASES, name)) throw new Error(`unknown hostile case ${name}`);
      current = name && name !== 'off' ? name : null;
      return current;
    },

    /** The public keys to publish besides the provider's own. */
    extraKeys() {
      if (current === 'key_1024') return [publicPart(small)];
      if (current === 'no_kid_two_keys') return [publicPart(spare)];
      return [];
    },

    /**
     * Rewrites an ID token the provider issued. `where` is 'token' (token endpoint) or
     * 'authorization' (authorization response). Claims cases bend only the token the client
     * checks first: the hybrid case its authorization response, the others the token endpoint.
     */
    idToken(jwt, where) {
      if (!current || current === 'html_error_description') return jwt;
      if ((current === 'wrong_c_hash') !== (where === 'authorization')) return jwt;
      const [h, p] = jwt.split('.');
      const header = decode(h);
      const payload = decode(p);
      const key = signingKey();
      const t = now();
      switch (current) {
        case 'alg_none':
          return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
        case 'alg_none_signed':
          return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.${jwt.split('.')[2]}`;
        case 'hs256_public_key': {
          const secret = createPublicKey({ key: key, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
          const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: header.kid })}.${b64(payload)}`;
          return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
        }
        case 'unknown_kid':
          return signRs256({ ...header, kid: stranger.kid }, payload, stranger);
        case 'no_kid_two_keys': {
          const { kid, ...rest } = header;
          return signRs256(rest, payload, key);
        }
        case 'other_key':
          return signRs256(header, payload, stranger);
        case 'key_1024':
          return signRs256({ ...header, kid: small.kid }, payload, small);
        case 'expired':
          return signRs256(header, { ...payload, iat: t - 7200, exp: t - 3600 }, key);
        case 'iat_future':
          return signRs256(header, { ...payload, iat: t + 3600, exp: t + 7200 }, key);
        case 'nbf_future':
          return signRs256(header, { ...payload, nbf: t + 3600 }, key);
        case 'wrong_iss':
          return signRs256(header, { ...payload, iss: 'http://127.0.0.1:9' }, key);
        case 'iss_trailing_slash':
          return signRs256(header, { ...payload, iss: `${payload.iss}/` }, key);
        case 'aud_without_client':
          return signRs256(header, { ...payload, aud: 'another-client' }, key);
        case 'audiences_without_azp': {
          const { azp, ...rest } = payload;
          return signRs256(header, { ...rest, aud: [payload.aud, 'another-client'].flat() }, key);
        }
        case 'replaced_nonce':
          return signRs256(header, { ...payload, nonce: 'a-nonce-of-another-request' }, key);
        case 'wrong_at_hash':
          return signRs256(header, { ...payload, at_hash: Buffer.alloc(16, 7).toString('base64url') }, key);
        case 'wrong_c_hash':
          return signRs256(header, { ...payload, c_hash: Buffer.alloc(16, 9).toString('base64url') }, key);
        case 'huge_token':
          return signRs256(header, { ...payload, padding: 'x'.repeat(1024 * 1024) }, key);
        default:
          return jwt;
      }
    },

    /** Rewrites an authorization response's parameters (the error case). */
    authorizationResponse(params) {
      if (current !== 'html_error_description') return params;
      return { error: 'access_denied', error_description: HTML_ERROR_DESCRIPTION, state: params.state };
    },
  };
}
