// A tiny resource server (an "API") for the demo and the end-to-end tests: it accepts the
// access tokens of the embedded provider (dev-idp/server.mjs), looked up in-process, as
// Bearer tokens (RFC 6750) or, for DPoP-bound tokens, with a DPoP proof (RFC 9449 §7) that
// must carry a nonce this server issued (RFC 9449 §9), as Okta's DPoP-protected APIs ask.
//
//   GET  /api/profile    who the token speaks for: { sub, client_id, scope, tokenType, jkt?, method, url, iss }
//   ANY  /api/echo       the same, for any method (tests of a proof's htm and htu)
//
// Test controls, answered only to loopback callers: POST /__test/rotate-nonce (the nonces
// issued so far stop being accepted: the next DPoP request is challenged again),
// GET /__test/stats (what the server saw: requests, nonce challenges, acceptances and
// refusals by error) and POST /__test/reset-stats.
//
// Refusals: 401 with `WWW-Authenticate: DPoP error="...", error_description="...",
// algs="ES256"` (or a Bearer challenge for a bearer request), and the same error as JSON
// ({ error, error_description }). A missing or unknown nonce is `use_dpop_nonce` with a fresh
// `DPoP-Nonce` header. A malformed Authorization header is 400 invalid_request.
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, EmbeddedJWK } from 'jose';
import { listen, closeServer } from '../scripts/serve.mjs';

/** The only proof algorithm accepted (the one the library signs with, via WebCrypto). */
export const DPOP_ALGS = ['ES256'];
/** How far a proof's iat may be from this server's clock, either way (seconds). */
export const IAT_WINDOW = 60;
/** How long a nonce is the current one; the one before stays accepted as long again (seconds). */
export const NONCE_LIFETIME = 300;
const REALM = 'dev-idp resource server';
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const isLoopback = (address) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
const sha256url = (value) => createHash('sha256').update(value).digest('base64url');

/** A refusal: `status`, an OAuth error code and a short description naming the failed check. */
class Refusal extends Error {
  constructor(status, error, description, { scheme = 'DPoP', nonce } = {}) {
    super(description);
    Object.assign(this, { status, error, scheme, nonce });
  }
}
const invalidProof = (description) => new Refusal(401, 'invalid_dpop_proof', description);

/** A challenge's auth-param value (RFC 9110 §11.2 quoted-string). */
const quoted = (value) => `"${String(value).replace(/["\\]/g, '\\$&')}"`;

/**
 * The server's DPoP nonces (RFC 9449 §9): random values of its own, unrelated to the
 * authorization servers' nonces. The current nonce is replaced after NONCE_LIFETIME; the
 * previous one stays accepted meanwhile, so a client that just learnt it is not bounced.
 */
function nonceStore(now) {
  let current;
  let previous;
  const fresh = () => ({ value: randomBytes(24).toString('base64url'), issuedAt: now() });
  return {
    current() {
      if (!current || now() - current.issuedAt >= NONCE_LIFETIME) {
        previous = current;
        current = fresh();
      }
      return current.value;
    },
    accepts(value) {
      this.current(); // ages the pair first
      return typeof value === 'string' && (value === current.value || value === previous?.value);
    },
    /** Test control: every nonce issued so far stops being accepted. */
    rotate() {
      previous = undefined;
      current = fresh();
      return current.value;
    },
  };
}

/** Remembers the jti of accepted proofs until their iat is out of the window (RFC 9449 §11.1). */
function replayCache(now) {
  const seen = new Map(); // jti -> forget after (epoch seconds)
  return {
    /** True the first time `jti` is offered within its window, false after. */
    add(jti, iat) {
      const t = now();
      for (const [key, until] of seen) if (until < t) seen.delete(key);
      if (seen.has(jti)) return false;
      seen.set(jti, Math.max(iat, t) + IAT_WINDOW);
      return true;
    },
  };
}

/**
 * RFC 9449 §4.3: the checks of a DPoP proof that need no token lookup. `proofs` is every
 * value of the DPoP header; `url` the request URL as this server was asked it. Resolves to
 * { thumbprint, jti, iat, nonce }; throws a Refusal naming the first failed check.
 */
export async function validateDpopProof({ proofs, method, url, accessToken, now }) {
  if (proofs.length === 0) throw invalidProof('no DPoP header: a DPoP-bound token needs a proof');
  if (proofs.length > 1) throw invalidProof('more than one DPoP header');
  const [proof] = proofs;
  let header;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw invalidProof('the DPoP header is not a compact JWS');
  }
  if (proof.split('.').length !== 3) throw invalidProof('the DPoP header is not a compact JWS');
  if (header.typ !== 'dpop+jwt') throw invalidProof('typ is not dpop+jwt');
  if (!DPOP_ALGS.includes(header.alg)) throw invalidProof(`alg ${header.alg} is not accepted (${DPOP_ALGS.join(' ')})`);
  if (!header.jwk || typeof header.jwk !== 'object') throw invalidProof('no jwk in the header');
  if (PRIVATE_JWK_MEMBERS.some((m) => m in header.jwk)) throw invalidProof('the header jwk has private key members');
  let bytes;
  try {
    // The signature only, by the embedded (public) key: the claims are checked below, one
    // rule at a time, against this server's clock.
    ({ payload: bytes } = await compactVerify(proof, EmbeddedJWK, { algorithms: DPOP_ALGS }));
  } catch (e) {
    throw invalidProof(`signature: ${e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'does not verify with the header jwk' : e.message}`);
  }
  let payload;
  try {
    payload = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalidProof('the payload is not JSON');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw invalidProof('the payload is not a JSON object');
  if (typeof payload.jti !== 'string' || !payload.jti) throw invalidProof('no jti');
  if (payload.htm !== method) throw invalidProof(`htm ${payload.htm} is not the request method ${method}`);
  let htu;
  try {
    htu = new URL(payload.htu); // not URL.parse: Node 20.12 (package.json engines) lacks it
  } catch {
    htu = undefined;
  }
  const expected = new URL(url);
  expected.search = '';
  expected.hash = '';
  if (typeof payload.htu !== 'string' || !htu) throw invalidProof('htu is not a URL');
  htu.search = '';
  htu.hash = '';
  if (htu.href !== expected.href) throw invalidProof(`htu ${htu.href} is not the request URL ${expected.href}`);
  if (typeof payload.iat !== 'number') throw invalidProof('no iat');
  if (Math.abs(now() - payload.iat) > IAT_WINDOW) throw invalidProof(`iat is more than ${IAT_WINDOW} s from now`);
  if (typeof payload.ath !== 'string') throw invalidProof('no ath (the access token hash)');
  if (payload.ath !== sha256url(accessToken)) throw invalidProof('ath is not the hash of this access token');
  if (payload.nonce !== undefined && typeof payload.nonce !== 'string') throw invalidProof('nonce is not a string');
  return { thumbprint: await calculateJwkThumbprint(header.jwk), jti: payload.jti, iat: payload.iat, nonce: payload.nonce };
}

/** The scheme and token of the Authorization header (RFC 9110 §11.6.2), or a Refusal. */
function parseAuthorization(value) {
  if (value === undefined) {
    throw new Refusal(401, undefined, 'no access token', { scheme: 'both' });
  }
  const match = /^(\S+) +([A-Za-z0-9\-._~+/]+=*)$/.exec(value);
  const scheme = match?.[1].toLowerCase();
  if (!match || (scheme !== 'bearer' && scheme !== 'dpop')) {
    throw new Refusal(400, 'invalid_request', 'the Authorization header is not "Bearer <token>" or "DPoP <token>"', { scheme: 'both' });
  }
  return { scheme: scheme === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}

/**
 * Starts the resource server on `host:port` (0: a free port; a busy port rejects with `hint`,
 * see scripts/serve.mjs `listen`). `findAccessToken(value)` resolves to the token's
 * { iss, sub, client_id, scope, jkt?, exp } while it is valid, else undefined. `appOrigins`
 * get CORS. `now` (epoch seconds) is this server's clock. Resolves to { url, server,
 * rotateNonce(), stats(), resetStats(), close() }.
 */
export async function startResourceServer({
  host = '127.0.0.1',
  port = 0,
  appOrigins = [],
  findAccessToken,
  hint,
  now = () => Math.floor(Date.now() / 1000),
}) {
  const nonces = nonceStore(now);
  const replays = replayCache(now);
  let counts;
  const resetStats = () => {
    counts = { requests: 0, nonceChallenges: 0, accepted: { DPoP: 0, Bearer: 0 }, refused: {}, last: null };
  };
  resetStats();
  const stats = () => structuredClone(counts);

  /** The token check of one API request: the response body's token fields, or a Refusal. */
  async function authorize(req, url) {
    const { scheme, token } = parseAuthorization(req.headers.authorization);
    const proofs = req.headersDistinct.dpop ?? [];
    if (scheme === 'Bearer') {
      // As oidc-provider's userinfo: a proof with the Bearer scheme is a client mistake.
      if (proofs.length) throw new Refusal(400, 'invalid_request', 'a DPoP proof was sent with the Bearer scheme', { scheme: 'both' });
      const found = await findAccessToken(token);
      if (!found) throw new Refusal(401, 'invalid_token', 'the access token is unknown or expired', { scheme: 'Bearer' });
      // RFC 9449 §7.2: a DPoP-bound token is not a bearer token.
      if (found.jkt) throw new Refusal(401, 'invalid_token', 'a DPoP-bound access token was sent with the Bearer scheme');
      return { ...found, tokenType: 'Bearer' };
    }
    const proof = await validateDpopProof({ proofs, method: req.method, url, accessToken: token, now });
    if (!nonces.accepts(proof.nonce)) {
      throw new Refusal(401, 'use_dpop_nonce', proof.nonce === undefined ? 'a nonce is required in the DPoP proof' : 'the DPoP proof nonce is not a current nonce of this server', { nonce: nonces.current() });
    }
    const found = await findAccessToken(token);
    if (!found) throw new Refusal(401, 'invalid_token', 'the access token is unknown or expired');
    if (!found.jkt) throw new Refusal(401, 'invalid_token', 'the access token is not DPoP-bound: send it with the Bearer scheme');
    if (found.jkt !== proof.thumbprint) throw invalidProof('the proof key is not the key the token is bound to (jkt)');
    if (!replays.add(proof.jti, proof.iat)) throw invalidProof('jti was already used (replayed proof)');
    return { ...found, tokenType: 'DPoP', proofNonce: proof.nonce };
  }

  function cors(req, res) {
    const origin = req.headers.origin;
    if (!origin || !appOrigins.includes(origin)) return;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'DPoP-Nonce, WWW-Authenticate');
  }

  function refuse(res, refusal) {
    const { status, error, message: description, scheme, nonce } = refusal;
    const params = (extra) => [
      `realm=${quoted(REALM)}`,
      ...(error ? [`error=${quoted(error)}`, `error_description=${quoted(description)}`] : []),
      ...extra,
    ].join(', ');
    const dpop = `DPoP ${params([`algs=${quoted(DPOP_ALGS.join(' '))}`])}`;
    const bearer = `Bearer ${params([])}`;
    // Node sends an array as separate header lines; a browser reads them joined by ", ".
    res.setHeader('www-authenticate', scheme === 'both' ? [bearer, dpop] : scheme === 'Bearer' ? bearer : dpop);
    if (nonce) res.setHeader('dpop-nonce', nonce);
    counts.refused[error ?? 'no_token'] = (counts.refused[error ?? 'no_token'] ?? 0) + 1;
    if (error === 'use_dpop_nonce') counts.nonceChallenges += 1;
    counts.last = { error: error ?? 'no_token', description };
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    // RFC 6750 §3.1: a request with no token gets a challenge without an error code.
    res.end(JSON.stringify(error ? { error, error_description: description } : { error_description: description }));
  }

  const controls = {
    'POST /__test/rotate-nonce': () => ({ nonce: nonces.rotate() }),
    'GET /__test/stats': () => stats(),
    'POST /__test/reset-stats': () => { resetStats(); return stats(); },
  };

  let origin;
  const server = createServer(async (req, res) => {
    try {
      const requestUrl = new URL(req.url, origin);
      const { pathname } = requestUrl;
      if (pathname.startsWith('/__test/')) {
        const control = controls[`${req.method} ${pathname}`];
        const allowed = control && isLoopback(req.socket.remoteAddress);
        res.writeHead(allowed ? 200 : control ? 403 : 404, { 'content-type': 'application/json' });
        res.end(allowed ? JSON.stringify(control()) : '{"error":"test controls: loopback only, see dev-idp/resource.mjs"}');
        return;
      }
      cors(req, res);
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        // The preflight of a cross-origin call with Authorization and DPoP headers.
        if (res.hasHeader('access-control-allow-origin')) {
          res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
          res.setHeader('access-control-allow-headers', 'Authorization, DPoP, Content-Type');
          res.setHeader('access-control-max-age', '600');
        }
        res.writeHead(204).end();
        return;
      }
      if (!(pathname === '/api/echo' || (pathname === '/api/profile' && (req.method === 'GET' || req.method === 'HEAD')))) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
        return;
      }
      counts.requests += 1;
      // The URL the client addressed (its Host header), which a proof's htu must name.
      const url = `http://${req.headers.host}${req.url}`;
      let found;
      try {
        found = await authorize(req, url);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        refuse(res, e);
        return;
      }
      const { proofNonce, tokenType, iss, sub, client_id, scope, jkt } = found;
      counts.accepted[tokenType] += 1;
      counts.last = { accepted: tokenType };
      // RFC 9449 §8.2: a new nonce may come with any response; send it when the client's is old.
      if (tokenType === 'DPoP' && proofNonce !== nonces.current()) res.setHeader('dpop-nonce', nonces.current());
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ sub, client_id, scope, tokenType, ...(jkt ? { jkt } : {}), method: req.method, url, iss }));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e?.message ?? e));
    }
  });
  const taken = await listen(server, { port, host, hint });
  origin = `http://${host}:${taken}`;
  return {
    url: origin,
    server,
    rotateNonce: () => nonces.rotate(),
    stats,
    resetStats,
    close: () => closeServer(server),
  };
}
