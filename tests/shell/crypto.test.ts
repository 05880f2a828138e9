// RS256 with WebCrypto (ts/crypto.ts), the provider's JWK set and discovery (ts/provider.ts)
// and AuthClient.verifyIdToken, against the fake network: the RFC 7515 A.2, OpenID Connect
// Core Appendix A and Wycheproof vectors through the shipped verify path, the JWK set's
// cache and refetch rules, and the shell's one rule: claims are read only from a token whose
// signature crypto.subtle.verify accepted.
import { deepEqual, equal, match, ok, rejects } from './assert.js';
import { b64urlText, client, CLIENT_ID, ISSUER, NOW, Signer, until, world, type Answer, type World } from './fakes.js';
import { test } from './runner.js';
import type { AuthClient } from '../../ts/client.js';
import { core } from '../../ts/core.js';
import rfc7515 from '../vectors/rfc7515-a2-rs256.json';
import oidc from '../vectors/oidc-core-appendix-a.json';
import wycheproof from '../vectors/wycheproof-rsa_signature_2048_sha256_test.json';

const NONCE = 'n-0S6_WzA2Mj';
const KEYS = `${ISSUER}/v1/keys`;

// ---- helpers ----------------------------------------------------------------------------

const b64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function unb64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (s: string): Uint8Array => Uint8Array.from({ length: s.length / 2 }, (_, i) => parseInt(s.slice(2 * i, 2 * i + 2), 16));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** `token` with one bit of its signature flipped (in the middle, so the length stays). */
function flipSignatureBit(token: string): string {
  const dot = token.lastIndexOf('.');
  const sig = unb64url(token.slice(dot + 1));
  sig[sig.length >> 1]! ^= 0x01;
  return `${token.slice(0, dot)}.${b64url(sig)}`;
}

/** The claims of a fresh ID token of `issuer` for this file's client and nonce, at NOW. */
const claimsFor = (issuer: string) => ({ iss: issuer, sub: 'alice', aud: CLIENT_ID, nonce: NONCE, iat: NOW, exp: NOW + 3600 });
const token = (signer: Signer, issuer = ISSUER, header?: object): Promise<string> => signer.sign(claimsFor(issuer), header);
const jwksOf = (...signers: Signer[]): Answer => ({ body: { keys: signers.map((s) => s.jwk) } });

/** Serves `url` with `first`; the returned function changes the answer while the client runs. */
function switchable(w: World, url: string, first: Answer): (next: Answer) => void {
  let current = first;
  w.net.route(url, () => current);
  return (next) => {
    current = next;
  };
}

/** verifyIdToken with this file's nonce at `now`: the `sub` it resolves to. */
async function verify(c: AuthClient, t: string, now = NOW): Promise<string> {
  return (await c.verifyIdToken(t, { nonce: NONCE, now })).sub;
}
const failure = (c: AuthClient, t: string, code: string, now = NOW, what = '') =>
  rejects(c.verifyIdToken(t, { nonce: NONCE, now }), code, what);

const last = <T>(list: T[]): T => list[list.length - 1]!;
const fetchesOf = (w: World, url: string): number => w.net.to(url).length;

/** A client of a (non-Okta) issuer whose endpoints are configured: no discovery. */
const configured = (w: World, issuer: string, clientId = CLIENT_ID): AuthClient =>
  client(w, { issuer, clientId, endpoints: { authorize: `${issuer}/authorize`, token: `${issuer}/token`, keys: `${issuer}/keys` } });

/** A client of a (non-Okta) issuer that has to fetch its discovery document. */
const discovering = (w: World, issuer: string): AuthClient => client(w, { issuer });

const discoveryDoc = (issuer: string, extra: object = {}) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  jwks_uri: `${issuer}/keys`,
  ...extra,
});

/** What the shell asked of crypto.subtle: each import, and each verify with its bytes and result. */
interface SubtleLog {
  imports: number;
  verifies: { signature: Uint8Array; data: Uint8Array; result?: boolean | 'threw' }[];
}
type Verify = (alg: AlgorithmIdentifier, key: CryptoKey, signature: Uint8Array, data: Uint8Array) => Promise<boolean>;

/**
 * Replaces the client's injected crypto.subtle with a spy over the real one (the shell uses
 * importKey and verify only); `hooks` replace either call.
 */
function spySubtle(w: World, hooks: { importKey?: () => Promise<CryptoKey>; verify?: Verify } = {}): SubtleLog {
  const real = crypto.subtle;
  const log: SubtleLog = { imports: 0, verifies: [] };
  const realVerify: Verify = (alg, key, signature, data) => real.verify(alg, key, signature as BufferSource, data as BufferSource);
  w.env.subtle = {
    importKey(...args: unknown[]): Promise<CryptoKey> {
      log.imports += 1;
      return hooks.importKey ? hooks.importKey() : (real.importKey as (...a: unknown[]) => Promise<CryptoKey>).apply(real, args);
    },
    async verify(alg: AlgorithmIdentifier, key: CryptoKey, signature: BufferSource, data: BufferSource): Promise<boolean> {
      const entry: SubtleLog['verifies'][number] = { signature: new Uint8Array(signature as ArrayBuffer), data: new Uint8Array(data as ArrayBuffer) };
      log.verifies.push(entry);
      try {
        entry.result = await (hooks.verify ?? realVerify)(alg, key, entry.signature, entry.data);
      } catch (e) {
        entry.result = 'threw';
        throw e;
      }
      return entry.result;
    },
  } as unknown as SubtleCrypto;
  return log;
}

/** Records the calls of the core's claim reader (core.validateIdToken) in `events`. */
function spyClaims(events: string[]): void {
  const validate = core.validateIdToken;
  core.validateIdToken = (...args) => {
    events.push('core read the claims');
    return validate(...args);
  };
}

// ---- the one rule the shell owns ---------------------------------------------------------

test('claims_are_read_only_after_crypto_subtle_verify_accepted_the_signature', async () => {
  const w = await world();
  const events: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const log = spySubtle(w, {
    verify: async (alg, key, signature, data) => {
      events.push('verify called');
      await gate;
      const ok = await crypto.subtle.verify(alg, key, signature as BufferSource, data as BufferSource);
      events.push(`verify resolved ${ok}`);
      return ok;
    },
  });
  spyClaims(events);
  const c = client(w);
  const pending = c.verifyIdToken(await w.provider.idToken(NONCE), { nonce: NONCE });
  await until(() => events.length > 0, 'crypto.subtle.verify called');
  // However long verify takes, the core does not see the claims meanwhile.
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
  deepEqual(events, ['verify called']);
  release();
  equal((await pending).sub, '00u1alice');
  deepEqual(events, ['verify called', 'verify resolved true', 'core read the claims']);
  equal(log.verifies.length, 1);
});

test('a_bad_signature_on_claims_that_would_also_fail_is_invalid_signature_and_the_claims_are_never_read', async () => {
  const w = await world();
  // Expired long ago, for another client, from another issuer, with another nonce.
  const bad = { iss: 'https://evil.example', aud: 'someone-else', nonce: 'other', iat: NOW - 86_400, exp: NOW - 7200 };
  const signed = await w.provider.idToken(NONCE, bad);
  const c = client(w);
  // Signed, these claims fail the core's claim rules...
  const e = await rejects(c.verifyIdToken(signed, { nonce: NONCE }), 'issuer_mismatch');
  ok(e.message.includes('evil.example'), e.message);
  // ...but with a signature that does not verify, the claims are never read.
  const events: string[] = [];
  const log = spySubtle(w);
  spyClaims(events);
  await rejects(c.verifyIdToken(flipSignatureBit(signed), { nonce: NONCE }), 'invalid_signature');
  deepEqual(events, [], 'the core never saw the claims');
  equal(log.verifies.length, 1, 'crypto.subtle.verify ran');
  equal(log.verifies[0]?.result, false, 'and said no');
});

test('a_payload_that_is_no_json_object_is_read_only_after_the_signature_verified', async () => {
  const w = await world();
  const c = client(w);
  // Warm the key cache, so that the next tokens take the warm path.
  equal(await verify(c, await w.provider.idToken(NONCE)), '00u1alice');
  for (const payload of ['not json', '[1,2]', '{"sub":"a","sub":"b"}']) {
    const signed = await w.provider.signer.sign(payload);
    const log = spySubtle(w);
    // Signed: the signature verifies, then the core reads the payload and refuses it.
    const e = await failure(c, signed, 'malformed_jwt', NOW, payload);
    match(e.message, /payload is not a JSON object/);
    equal(log.verifies.length, 1, `${payload}: verified first`);
    equal(log.verifies[0]?.result, true);
    // Not signed by the provider: invalid_signature, the payload never read.
    const events: string[] = [];
    spyClaims(events);
    await failure(c, flipSignatureBit(signed), 'invalid_signature', NOW, payload);
    deepEqual(events, [], 'the core never saw the payload');
  }
});

test('a_webcrypto_verify_that_throws_is_crypto_error_and_the_claims_are_never_read', async () => {
  const w = await world();
  const events: string[] = [];
  spySubtle(w, { verify: () => Promise.reject(new DOMException('refused', 'OperationError')) });
  spyClaims(events);
  await rejects(client(w).verifyIdToken(await w.provider.idToken(NONCE), { nonce: NONCE }), 'crypto_error');
  deepEqual(events, []);
});

// ---- RFC 7515 A.2 ------------------------------------------------------------------------

/** verifyIdToken of `compact` for a client whose keys endpoint serves the RFC 7515 A.2 key. */
async function verifyRfc7515(compact: string): Promise<{ code: string; message: string; log: SubtleLog; events: string[] }> {
  const w = await world();
  const issuer = 'https://joe.example';
  w.net.route(`${issuer}/keys`, { body: { keys: [{ kty: 'RSA', n: rfc7515.jwk.n, e: rfc7515.jwk.e }] } });
  const log = spySubtle(w);
  const events: string[] = [];
  spyClaims(events);
  try {
    await configured(w, issuer).verifyIdToken(compact, { now: 1300819380 - 60 });
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message, log, events };
  }
  throw new Error('the RFC 7515 A.2 JWS is no ID token of https://joe.example, but verifyIdToken resolved');
}

test('rfc7515_a2_verifies_over_the_received_bytes_with_cr_lf', async () => {
  const { code, message, log, events } = await verifyRfc7515(rfc7515.compact);
  equal(log.verifies.length, 1);
  const { data, result } = log.verifies[0]!;
  equal(result, true, 'crypto.subtle.verify accepted the signature');
  const signingInput = rfc7515.compact.slice(0, rfc7515.compact.lastIndexOf('.'));
  ok(sameBytes(data, ascii(signingInput)), 'verified over the received signing input');
  const payload = new TextDecoder().decode(unb64url(signingInput.split('.')[1]!));
  equal(payload, '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}');
  // Then, and only then, the core read the claims: "joe" is not this client's issuer.
  deepEqual(events, ['core read the claims']);
  equal(code, 'issuer_mismatch', message);
});

test('rfc7515_a2_with_one_signature_bit_flipped_is_invalid_signature', async () => {
  const { code, log, events } = await verifyRfc7515(flipSignatureBit(rfc7515.compact));
  equal(code, 'invalid_signature');
  equal(log.verifies[0]?.result, false);
  deepEqual(events, []);
});

// ---- OpenID Connect Core 1.0 Appendix A ----------------------------------------------------
// The vectors' issuer, http://server.example.com, is no issuer a client accepts (https, or
// http on loopback only). So each token runs twice through verifyIdToken: as published,
// for its signature over the pretty-printed bytes (its iss is then refused); and with only
// its iss changed to https://server.example.com, re-signed by a key of ours under the same
// kid, for the claim rules (nonce, exp, iat, at_hash, c_hash) on the rest of its bytes.

const A_ISSUER = 'https://server.example.com';

/** The verifyIdToken options each Appendix A token comes with: A.3 its access token, A.6 its code. */
function appendixOptions(name: string, nonce: string, now: number): { nonce: string; now: number; accessToken?: string; code?: string } {
  const input = (claim: string) => oidc.hashes.find((h) => h.claim === claim)!.input;
  if (name.startsWith('A.3')) return { nonce, now, accessToken: input('at_hash') };
  if (name.startsWith('A.6')) return { nonce, now, code: input('c_hash') };
  equal(name, 'A.2');
  return { nonce, now };
}

/** The Appendix A tokens with https://server.example.com as iss, re-signed (kid 1e9gdk7), and the key set that verifies them. */
async function appendixHttps(): Promise<{ tokens: [string, string][]; jwks: Answer }> {
  const signer = await Signer.create(oidc.jwks.keys[0]!.kid);
  const tokens: [string, string][] = [];
  for (const [name, t] of Object.entries(oidc.id_tokens)) {
    const [header = '', payload = ''] = t.split('.');
    const text = new TextDecoder().decode(unb64url(payload));
    ok(text.includes('"http://server.example.com"'), name);
    const resigned = await signer.sign(text.replace('"http://server.example.com"', `"${A_ISSUER}"`), JSON.parse(new TextDecoder().decode(unb64url(header))));
    tokens.push([name, resigned]);
  }
  return { tokens, jwks: jwksOf(signer) };
}

/** verifyIdToken of `t` by a new client for the Appendix A client id (nothing cached carries over). */
function verifyAppendix(w: World, name: string, t: string, nonce: string, now: number) {
  return configured(w, A_ISSUER, oidc.client_id).verifyIdToken(t, appendixOptions(name, nonce, now));
}

test('oidc_core_appendix_a_signatures_verify_over_the_received_pretty_printed_bytes', async () => {
  const w = await world();
  w.net.route(`${A_ISSUER}/keys`, { body: oidc.jwks });
  const log = spySubtle(w);
  const events: string[] = [];
  spyClaims(events);
  const tokens = Object.entries(oidc.id_tokens);
  equal(tokens.length, 3);
  for (const [name, t] of tokens) {
    const e = await rejects(verifyAppendix(w, name, t, oidc.nonce, oidc.iat), 'issuer_mismatch', name);
    ok(e.message.includes('http://server.example.com'), e.message);
    const v = last(log.verifies);
    equal(v.result, true, `${name}: crypto.subtle.verify accepted it`);
    ok(sameBytes(v.data, ascii(t.slice(0, t.lastIndexOf('.')))), `${name}: over the received bytes`);
  }
  equal(events.length, 3, 'the core read the claims of each, after verify');
  equal(fetchesOf(w, `${A_ISSUER}/keys`), 3, 'a new client per token fetched the key set once');
});

test('oidc_core_appendix_a_tokens_verify_with_the_clock_inside_iat_exp', async () => {
  const w = await world();
  const { tokens, jwks } = await appendixHttps();
  w.net.route(`${A_ISSUER}/keys`, jwks);
  for (const [name, t] of tokens) {
    for (const now of [oidc.iat, Math.floor((oidc.iat + oidc.exp) / 2), oidc.exp]) {
      const claims = await verifyAppendix(w, name, t, oidc.nonce, now);
      equal(claims.sub, '248289761001', `${name} at ${now}`);
      equal(claims.aud, 's6BhdRkqt3');
      equal(claims.nonce, oidc.nonce);
    }
  }
  // A new client per call, so each fetched the JWK set once.
  equal(fetchesOf(w, `${A_ISSUER}/keys`), 9);
});

test('oidc_core_appendix_a_tokens_after_exp_and_the_skew_are_expired', async () => {
  const w = await world();
  const { tokens, jwks } = await appendixHttps();
  w.net.route(`${A_ISSUER}/keys`, jwks);
  for (const [name, t] of tokens) {
    equal((await verifyAppendix(w, name, t, oidc.nonce, oidc.exp + 299)).sub, '248289761001', `${name}: within the skew`);
    await rejects(verifyAppendix(w, name, t, oidc.nonce, oidc.exp + 301), 'expired', name);
  }
});

test('oidc_core_appendix_a_tokens_with_another_nonce_are_nonce_mismatch', async () => {
  const w = await world();
  const { tokens, jwks } = await appendixHttps();
  w.net.route(`${A_ISSUER}/keys`, jwks);
  for (const [name, t] of tokens) {
    await rejects(verifyAppendix(w, name, t, 'another-nonce', oidc.iat), 'nonce_mismatch', name);
  }
});

test('oidc_core_appendix_a_tokens_with_another_access_token_or_code_fail_at_hash_or_c_hash', async () => {
  const w = await world();
  const { tokens, jwks } = await appendixHttps();
  w.net.route(`${A_ISSUER}/keys`, jwks);
  const c = () => configured(w, A_ISSUER, oidc.client_id);
  const a3 = tokens.find(([n]) => n.startsWith('A.3'))![1];
  const a6 = tokens.find(([n]) => n.startsWith('A.6'))![1];
  await rejects(c().verifyIdToken(a3, { nonce: oidc.nonce, now: oidc.iat, accessToken: 'another-access-token' }), 'at_hash_mismatch');
  await rejects(c().verifyIdToken(a6, { nonce: oidc.nonce, now: oidc.iat, code: 'another-code' }), 'c_hash_mismatch');
});

test('oidc_core_appendix_a_tokens_with_one_flipped_signature_byte_are_invalid_signature', async () => {
  const w = await world();
  w.net.route(`${A_ISSUER}/keys`, { body: oidc.jwks });
  const events: string[] = [];
  spyClaims(events);
  for (const [name, t] of Object.entries(oidc.id_tokens)) {
    await rejects(verifyAppendix(w, name, flipSignatureBit(t), oidc.nonce, oidc.iat), 'invalid_signature', name);
  }
  const { tokens, jwks } = await appendixHttps();
  w.net.route(`${A_ISSUER}/keys`, jwks);
  for (const [name, t] of tokens) {
    await rejects(verifyAppendix(w, name, flipSignatureBit(t), oidc.nonce, oidc.iat), 'invalid_signature', name);
  }
  deepEqual(events, [], 'no claims read');
});

// ---- Wycheproof RSASSA-PKCS1-v1_5 2048 SHA-256 ---------------------------------------------

/**
 * Every case of `wycheproof-rsa_signature_2048_sha256_test.json`, through verifyIdToken: the
 * fake network serves each group's key as the provider's JWK set (so the core's key-strength
 * rules apply), and each case's signature is the signature of an ID token with valid claims.
 * A Wycheproof message is no JWS signing input, so the injected crypto.subtle hands WebCrypto
 * the case's message in place of the token's signing input (after checking that the shell
 * passed exactly that input); the key import, the signature bytes, and what the shell does
 * with verify's answer are the shipped ones. "valid" must resolve to the claims, "invalid"
 * must not, "acceptable" may do either. The two groups with e = 3 are refused by the
 * key-strength rule (e must be at least 65537, FIPS 186-5 §A.1.1) before WebCrypto sees
 * them. The one case with an empty signature is refused by the JWS parser (an unsecured
 * JWT) before WebCrypto sees it.
 */
test('wycheproof_rs256_valid_cases_verify_invalid_ones_do_not_and_e3_keys_are_refused_by_the_strength_rule', async () => {
  const w = await world();
  const counts = { total: 0, verified: 0, acceptableVerified: 0, rejected: 0, webcryptoError: 0, refusedByStrength: 0, refusedByParser: 0 };
  for (const group of wycheproof.testGroups) {
    const jwk = group.keyJwk;
    w.net.route(KEYS, { body: { keys: [{ kty: 'RSA', kid: jwk.kid, alg: 'RS256', n: jwk.n, e: jwk.e }] } });
    const c = client(w);
    const input = `${b64urlText(JSON.stringify({ alg: 'RS256', kid: jwk.kid }))}.${b64urlText(JSON.stringify(claimsFor(ISSUER)))}`;
    let message: Uint8Array = new Uint8Array();
    const log = spySubtle(w, {
      verify: (alg, key, signature, data) => {
        if (!sameBytes(data, ascii(input))) throw new Error('the shell verified other bytes than the signing input');
        return crypto.subtle.verify(alg, key, signature as BufferSource, message as BufferSource);
      },
    });
    counts.total += group.tests.length;
    for (const tc of group.tests) {
      message = hex(tc.msg);
      const signature = hex(tc.sig);
      const verifiesBefore = log.verifies.length;
      let outcome: string;
      try {
        equal(await verify(c, `${input}.${b64url(signature)}`), 'alice');
        outcome = 'verified';
      } catch (e) {
        const err = e as { code?: string; description?: string; message?: string };
        outcome = err.code ?? String(e);
        if (outcome === 'invalid_response') {
          equal(jwk.e, 'Aw', `tcId ${tc.tcId}: only the e=3 keys are refused`);
          equal(err.description, "invalid JWK set: an RSA key's e is below 65537 (FIPS 186-5 §A.1.1)", `tcId ${tc.tcId}`);
          equal(log.verifies.length, verifiesBefore, 'refused before WebCrypto');
          counts.refusedByStrength += 1;
          continue;
        }
        if (outcome === 'malformed_jwt') {
          equal(signature.length, 0, `tcId ${tc.tcId}: only an empty signature is refused by the parser (${err.message})`);
          equal(tc.result, 'invalid');
          counts.refusedByParser += 1;
          continue;
        }
      }
      equal(log.verifies.length, verifiesBefore + 1, `tcId ${tc.tcId}: crypto.subtle.verify ran once`);
      ok(sameBytes(last(log.verifies).signature, signature), `tcId ${tc.tcId}: the signature bytes reached WebCrypto`);
      if (tc.result === 'valid' && outcome !== 'verified') throw new Error(`tcId ${tc.tcId}: valid case gave ${outcome}`);
      if (tc.result === 'invalid' && outcome === 'verified') throw new Error(`tcId ${tc.tcId}: invalid case verified`);
      if (outcome === 'verified') {
        counts.verified += 1;
        if (tc.result === 'acceptable') counts.acceptableVerified += 1;
      } else if (outcome === 'invalid_signature') counts.rejected += 1;
      else if (outcome === 'crypto_error') counts.webcryptoError += 1;
      else throw new Error(`tcId ${tc.tcId}: ${tc.result} case gave ${outcome}`);
    }
    if (jwk.e !== 'Aw') equal(log.imports, 1, 'the group key was imported once');
  }
  console.log(`wycheproof: ${JSON.stringify(counts)}`);
  equal(counts.total, 259);
  equal(counts.refusedByStrength, 2);
  equal(counts.refusedByParser, 1);
  equal(counts.verified + counts.rejected + counts.webcryptoError + counts.refusedByStrength + counts.refusedByParser, 259);
  // 7 valid; the one acceptable case (tcId 8, MissingNull) is Chromium's choice.
  equal(counts.verified - counts.acceptableVerified, 7);
  equal(counts.rejected + counts.acceptableVerified + counts.refusedByParser, 250);
  // Chromium answers `false` for every bad signature, never a rejected promise: a forged
  // token is `invalid_signature`, not `crypto_error`.
  equal(counts.webcryptoError, 0);
});

// ---- the JWK set: cache, rotation, failures -----------------------------------------------

test('unknown_kid_refetches_the_jwks_once_and_accepts_the_rotated_key', async () => {
  const w = await world();
  const [a, b] = [await Signer.create('key-a'), await Signer.create('key-b')];
  const serve = switchable(w, KEYS, jwksOf(a));
  const c = client(w);
  equal(await verify(c, await token(a)), 'alice');
  equal(fetchesOf(w, KEYS), 1);
  // The provider rotates: key-b is published and signs from now on.
  serve(jwksOf(a, b));
  equal(await verify(c, await token(b)), 'alice');
  equal(fetchesOf(w, KEYS), 2);
  // Both keys are now known: no more requests.
  equal(await verify(c, await token(a)), 'alice');
  equal(await verify(c, await token(b)), 'alice');
  equal(fetchesOf(w, KEYS), 2);
});

test('unknown_kid_twice_within_60_s_refetches_only_once_then_key_not_found', async () => {
  const w = await world();
  const [a, ghost] = [await Signer.create('key-a'), await Signer.create('ghost')];
  w.net.route(KEYS, jwksOf(a));
  const c = client(w);
  equal(await verify(c, await token(a)), 'alice');
  equal(fetchesOf(w, KEYS), 1);
  const forged = await token(ghost);
  const e = await failure(c, forged, 'key_not_found', NOW + 1);
  ok(e.message.includes('ghost'), e.message);
  equal(fetchesOf(w, KEYS), 2, 'one refetch for the unknown kid');
  await failure(c, forged, 'key_not_found', NOW + 60);
  equal(fetchesOf(w, KEYS), 2, 'no second refetch within 60 s');
});

test('unknown_kid_60_s_after_the_last_refetch_may_refetch_again', async () => {
  const w = await world();
  const [a, b] = [await Signer.create('key-a'), await Signer.create('key-b')];
  const serve = switchable(w, KEYS, jwksOf(a));
  const c = client(w);
  equal(await verify(c, await token(a)), 'alice');
  const early = await token(b);
  await failure(c, early, 'key_not_found', NOW + 10);
  equal(fetchesOf(w, KEYS), 2);
  serve(jwksOf(a, b));
  await failure(c, early, 'key_not_found', NOW + 69);
  equal(fetchesOf(w, KEYS), 2);
  equal(await verify(c, early, NOW + 70), 'alice');
  equal(fetchesOf(w, KEYS), 3);
});

test('unknown_kid_on_a_cold_cache_fetches_the_jwks_only_once', async () => {
  const w = await world();
  const [a, ghost] = [await Signer.create('key-a'), await Signer.create('ghost')];
  w.net.route(KEYS, jwksOf(a));
  await failure(client(w), await token(ghost), 'key_not_found');
  equal(fetchesOf(w, KEYS), 1, 'the set was just fetched: no refetch');
});

test('key_reissued_under_the_same_kid_replaces_the_old_one_once_the_set_is_refetched', async () => {
  const w = await world();
  const [old, fresh] = [await Signer.create('k1'), await Signer.create('k1')];
  const serve = switchable(w, KEYS, jwksOf(old));
  const c = client(w);
  const [oldToken, newToken] = [await token(old), await token(fresh)];
  equal(await verify(c, oldToken), 'alice');
  serve(jwksOf(fresh));
  // The cached set is used for up to 600 s; then it is fetched again.
  await failure(c, newToken, 'invalid_signature', NOW + 1);
  equal(fetchesOf(w, KEYS), 1);
  equal(await verify(c, newToken, NOW + 600), 'alice');
  equal(fetchesOf(w, KEYS), 2);
  // The key imported for k1 before is no longer trusted.
  await failure(c, oldToken, 'invalid_signature', NOW + 601);
});

test('token_signed_by_another_key_with_the_same_kid_is_invalid_signature', async () => {
  const w = await world();
  const [real, impostor] = [await Signer.create('k1'), await Signer.create('k1')];
  w.net.route(KEYS, jwksOf(real));
  await failure(client(w), await token(impostor), 'invalid_signature');
});

/** A token with `header` and valid claims, whose signature is no signature. */
const unsigned = (header: object): string =>
  `${b64urlText(JSON.stringify(header))}.${b64urlText(JSON.stringify(claimsFor('https://alg.example')))}.${b64urlText('not a signature')}`;

test('alg_none_token_is_unsupported_alg_before_any_fetch', async () => {
  const w = await world();
  // This issuer needs discovery: any request would show in the log.
  const e = await failure(discovering(w, 'https://alg.example'), unsigned({ alg: 'none' }), 'unsupported_alg');
  ok(e.message.includes('none'), e.message);
  equal(w.net.log.length, 0, JSON.stringify(w.net.log.map((r) => r.url)));
});

test('hs256_token_is_unsupported_alg_before_any_fetch', async () => {
  const w = await world();
  const e = await failure(discovering(w, 'https://alg.example'), unsigned({ alg: 'HS256', kid: 'k1' }), 'unsupported_alg');
  ok(e.message.includes('HS256'), e.message);
  equal(w.net.log.length, 0, JSON.stringify(w.net.log.map((r) => r.url)));
});

/** verifyIdToken of a token of key-a, its JWK set answered with `answer`. */
async function jwksFailure(answer: Answer, code: string): Promise<{ code: string; message: string; description?: string }> {
  const w = await world();
  const a = await Signer.create('key-a');
  w.net.route(KEYS, answer);
  return (await failure(client(w), await token(a), code)) as { code: string; message: string; description?: string };
}

test('jwks_served_as_text_html_is_invalid_response', async () => {
  const e = await jwksFailure({ headers: { 'content-type': 'text/html' }, body: { keys: [] } }, 'invalid_response');
  equal(e.description, 'invalid JWK set: Content-Type is not application/json or application/jwk-set+json');
});

test('jwks_served_as_jwk_set_json_is_accepted', async () => {
  const w = await world();
  const a = await Signer.create('key-a');
  w.net.route(KEYS, { headers: { 'content-type': 'application/jwk-set+json; charset=utf-8' }, body: { keys: [a.jwk] } });
  equal(await verify(client(w), await token(a)), 'alice');
});

test('jwks_that_is_not_json_is_invalid_response', async () => {
  const e = await jwksFailure({ body: '{"keys": [' }, 'invalid_response');
  equal(e.description, 'invalid JWK set: is not valid JSON');
});

test('jwks_network_error_is_network_error', async () => {
  const e = await jwksFailure('network-error', 'network_error');
  ok(e.message.includes('JWK set'), e.message);
});

test('jwks_status_500_without_error_body_is_unexpected_status', async () => {
  const e = await jwksFailure({ status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>oops</h1>' }, 'unexpected_status');
  ok(e.message.includes('500'), e.message);
});

test('jwks_status_500_with_oauth_error_body_is_that_provider_error', async () => {
  const e = await jwksFailure({ status: 500, body: { error: 'server_error', error_description: 'down' } }, 'server_error');
  equal((e as { oauthError?: string }).oauthError, 'server_error');
  ok(e.message.includes('down'), e.message);
});

test('failed_jwks_fetch_is_not_cached', async () => {
  const w = await world();
  const a = await Signer.create('key-a');
  const serve = switchable(w, KEYS, 'network-error');
  const c = client(w);
  const t = await token(a);
  await failure(c, t, 'network_error');
  serve(jwksOf(a));
  equal(await verify(c, t), 'alice');
  equal(fetchesOf(w, KEYS), 2);
});

// ---- discovery -------------------------------------------------------------------------------

test('discovery_served_as_text_html_is_invalid_response', async () => {
  const w = await world();
  const issuer = 'https://html-discovery.example';
  const a = await Signer.create('key-a');
  w.net.route(`${issuer}/.well-known/openid-configuration`, { headers: { 'content-type': 'text/html' }, body: discoveryDoc(issuer) });
  w.net.route(`${issuer}/keys`, jwksOf(a));
  const e = await failure(discovering(w, issuer), await token(a, issuer), 'invalid_response');
  equal((e as { description?: string }).description, 'invalid discovery document: Content-Type is not application/json');
  equal(fetchesOf(w, `${issuer}/keys`), 0);
});

test('rs256_token_is_unsupported_alg_when_discovery_lists_only_other_algs', async () => {
  const w = await world();
  const issuer = 'https://es256-only.example';
  const a = await Signer.create('key-a');
  w.net.route(`${issuer}/.well-known/openid-configuration`, { body: discoveryDoc(issuer, { id_token_signing_alg_values_supported: ['ES256'] }) });
  w.net.route(`${issuer}/keys`, jwksOf(a));
  const e = await failure(discovering(w, issuer), await token(a, issuer), 'unsupported_alg');
  ok(e.message.includes('RS256'), e.message);
  equal(fetchesOf(w, `${issuer}/keys`), 0);
});

test('discovered_jwks_uri_verifies_when_discovery_lists_rs256', async () => {
  const w = await world();
  const issuer = 'https://discovered.example';
  const a = await Signer.create('key-a');
  // The keys live where the document says, not where an Okta issuer would have them.
  w.net.route(`${issuer}/.well-known/openid-configuration`, {
    body: { ...discoveryDoc(issuer, { id_token_signing_alg_values_supported: ['RS256', 'ES256'] }), jwks_uri: `${issuer}/jwks.json` },
  });
  w.net.route(`${issuer}/jwks.json`, jwksOf(a));
  const c = discovering(w, issuer);
  const t = await token(a, issuer);
  equal(await verify(c, t), 'alice');
  equal(await verify(c, t), 'alice');
  deepEqual(
    w.net.log.map((r) => r.url),
    [`${issuer}/.well-known/openid-configuration`, `${issuer}/jwks.json`],
    'discovery and JWK set, once each',
  );
});

// ---- WebCrypto -------------------------------------------------------------------------------

test('warm_verification_imports_the_key_once_and_calls_verify_once', async () => {
  const w = await world();
  const a = await Signer.create('key-a');
  w.net.route(KEYS, jwksOf(a));
  const c = client(w);
  const t = await token(a);
  const log = spySubtle(w);
  for (let i = 0; i < 3; i++) equal(await verify(c, t), 'alice');
  equal(log.imports, 1, 'importKey calls');
  equal(log.verifies.length, 3, 'verify calls');
});

test('key_webcrypto_refuses_to_import_is_crypto_error_and_is_not_cached', async () => {
  const w = await world();
  const a = await Signer.create('key-a');
  w.net.route(KEYS, jwksOf(a));
  const c = client(w);
  const t = await token(a);
  const real = w.env.subtle;
  spySubtle(w, { importKey: () => Promise.reject(new DOMException('refused', 'DataError')) });
  const e = await failure(c, t, 'crypto_error');
  equal((e as { description?: string }).description, 'WebCrypto: WebCrypto refused to import the RSA key');
  w.env.subtle = real;
  equal(await verify(c, t), 'alice');
});

// ---- AuthClient.verifyIdToken ---------------------------------------------------------------

const LOOPBACK = 'http://127.0.0.1:9';

async function loopbackProvider(): Promise<{ w: World; c: AuthClient; signer: Signer }> {
  const w = await world();
  const signer = await Signer.create('loopback-key');
  w.net.route(`${LOOPBACK}/.well-known/openid-configuration`, { body: discoveryDoc(LOOPBACK) });
  w.net.route(`${LOOPBACK}/keys`, jwksOf(signer));
  return { w, c: discovering(w, LOOPBACK), signer };
}

test('facade_verify_id_token_resolves_to_the_claims', async () => {
  const { w, c, signer } = await loopbackProvider();
  // The client's clock says the token expired a day ago: `now` freezes it for this call.
  w.clock.seconds = NOW + 86_400;
  const claims = await c.verifyIdToken(await token(signer, LOOPBACK), { nonce: NONCE, now: NOW });
  equal(claims.sub, 'alice');
  equal(claims.iss, LOOPBACK);
  equal(claims.nonce, NONCE);
  equal(claims.exp, NOW + 3600);
  await rejects(c.verifyIdToken(await token(signer, LOOPBACK), { nonce: NONCE }), 'expired', 'without now, the client clock');
});

test('facade_verify_id_token_rejects_a_tampered_token_with_invalid_signature', async () => {
  const { c, signer } = await loopbackProvider();
  await rejects(c.verifyIdToken(flipSignatureBit(await token(signer, LOOPBACK)), { nonce: NONCE, now: NOW }), 'invalid_signature');
});
