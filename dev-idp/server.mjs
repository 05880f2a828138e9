// The embedded OpenID Provider for the demo and the end-to-end tests: panva's oidc-provider
// (OpenID Certified) configured like Okta's authorization servers.
//
//   org server     issuer http://127.0.0.1:4000                  routes /oauth2/v1/{authorize,token,keys,...}
//   custom server  issuer http://127.0.0.1:4001/oauth2/default   routes /oauth2/default/v1/{...}
//
// Both serve /.well-known/openid-configuration under their issuer, Okta's okta_post_message
// response mode, PKCE (required for the public SPA client), refresh tokens with
// offline_access, userinfo claims, introspection, revocation and RP-initiated logout, and
// DPoP (RFC 9449) with server nonces required, for the client demo-spa-dpop. startDevIdp
// also starts dev-idp/resource.mjs, a resource server that accepts these access tokens.
// Test controls, answered only to loopback callers: POST /__test/rotate-keys (a new signing
// key; the old one stays published), POST /__test/end-session (every session ends, as when
// an admin clears a user's sessions; tokens already issued stay valid) and
// POST /__test/hostile?case=NAME (see hostile.mjs; case=off ends it).
//
// Run alone: node dev-idp/server.mjs  (AUTO_LOGIN=1 signs in as the test user without a form)
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Provider from 'oidc-provider';
import { hostileSwitch } from './hostile.mjs';
import { generateRsaSigningJwk } from './keys.mjs';
import { listen, closeServer } from '../scripts/serve.mjs';
import { startResourceServer } from './resource.mjs';

export const TEST_USER = {
  login: 'jane',
  password: 'any password works',
  claims: {
    name: 'Jane Doe',
    given_name: 'Jane',
    family_name: 'Doe',
    preferred_username: 'jane@example.com',
    email: 'jane@example.com',
    email_verified: true,
  },
};

const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;
const escapeForScript = (json) => json.replace(SCRIPT_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// Through keys.mjs: a plain generate-then-export can deadlock Node 20 (see there).
const newSigningKey = () => generateRsaSigningJwk(2048);

/**
 * Okta's okta_post_message response mode: a page that posts the flat response object to
 * the opener (popup) or parent (iframe), addressed to the redirect URI's origin (never '*').
 * Like Okta: no `iss` in the payload, `expires_in` as a string. The JSON is escaped so that a
 * value containing `</script>` cannot end the script.
 */
const oktaPostMessage = (hostile) => (ctx, redirectUri, params) => {
  const { iss, ...payload } = hostile.authorizationResponse(params);
  if (payload.id_token) payload.id_token = hostile.idToken(payload.id_token, 'authorization');
  if (payload.expires_in !== undefined) payload.expires_in = String(payload.expires_in);
  const targetOrigin = new URL(redirectUri).origin;
  ctx.type = 'html';
  ctx.status = 'error' in payload ? 400 : 200;
  ctx.response.remove('x-frame-options');
  ctx.body = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>okta_post_message</title></head>
<body><script>
  (window.opener || window.parent).postMessage(${escapeForScript(JSON.stringify(payload))}, ${escapeForScript(JSON.stringify(targetOrigin))});
</script></body></html>`;
};

/**
 * The provider's store: a Map kept across the rebuilds of a key rotation, so sessions, grants
 * and tokens survive it, and so the end-session control can find every session.
 */
function memoryAdapter() {
  const store = new Map(); // `${model}:${id}` -> { payload, expiresAt (ms, 0 = never) }
  const live = (key) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  };
  const findBy = (model, field, value) => {
    for (const key of store.keys()) {
      const entry = key.startsWith(`${model}:`) && live(key);
      if (entry && entry.payload[field] === value) return structuredClone(entry.payload);
    }
    return undefined;
  };
  class Adapter {
    constructor(model) { this.model = model; }
    async upsert(id, payload, expiresIn) {
      store.set(`${this.model}:${id}`, { payload: structuredClone(payload), expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0 });
    }
    async find(id) {
      const entry = live(`${this.model}:${id}`);
      return entry && structuredClone(entry.payload);
    }
    async findByUid(uid) { return findBy(this.model, 'uid', uid); }
    async findByUserCode(userCode) { return findBy(this.model, 'userCode', userCode); }
    async consume(id) {
      const entry = live(`${this.model}:${id}`);
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) { store.delete(`${this.model}:${id}`); }
    async revokeByGrantId(grantId) {
      for (const [key, entry] of store) if (entry.payload.grantId === grantId) store.delete(key);
    }
  }
  const endSessions = () => {
    let ended = 0;
    for (const key of [...store.keys()]) {
      if (key.startsWith('Session:')) {
        store.delete(key);
        ended += 1;
      }
    }
    return ended;
  };
  return { Adapter, endSessions };
}

const isLoopback = (address) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

function configuration({ appOrigins, keys, autoConsent, adapter, offlineChallenges, dpopNonceSecret }) {
  const redirectUris = appOrigins.flatMap((o) => [`${o}/`, `${o}/callback`, `${o}/callback.html`]);
  return {
    adapter,
    clients: [
      {
        client_id: 'demo-spa',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: appOrigins.map((o) => `${o}/`),
      },
      {
        // demo-spa's twin whose tokens must be DPoP-bound (RFC 9449): a token request
        // without a DPoP proof is refused (invalid_grant), as Okta does for an app with
        // "Require DPoP header in token requests" set.
        client_id: 'demo-spa-dpop',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: appOrigins.map((o) => `${o}/`),
        dpop_bound_access_tokens: true,
      },
      {
        // The implicit and hybrid flows (`id_token token`, `code id_token`) for tests:
        // oidc-provider allows them over http on loopback only for a native client.
        client_id: 'demo-spa-implicit',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['implicit', 'authorization_code'],
        response_types: ['id_token token', 'id_token', 'code id_token'],
        redirect_uris: redirectUris,
      },
    ],
    jwks: { keys },
    cookies: { keys: ['dev-idp cookie key: fixed, so sessions survive key rotation'] },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // Okta puts the profile claims a scope asks for into the ID token too.
    conformIdTokenClaims: false,
    responseTypes: ['code', 'id_token token', 'id_token', 'code id_token', 'none'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      // Okta answers the first DPoP request of a client with 400 use_dpop_nonce and a
      // DPoP-Nonce header (RFC 9449 §8): every proof must carry a server nonce. Requests
      // without a DPoP header never reach these checks, so bearer clients see no change.
      // The fixed secret keeps nonces valid across the provider rebuild of a key rotation.
      dPoP: { enabled: true, nonceSecret: dpopNonceSecret, requireNonce: () => true },
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      rpInitiatedLogout: {
        enabled: true,
        // Okta signs out without asking: submit the confirmation form at once.
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signing out</title></head>
<body>${form}<script>var f = document.forms[0]; var i = document.createElement('input');
i.type = 'hidden'; i.name = 'logout'; i.value = 'yes'; f.appendChild(i); f.submit();</script></body></html>`;
        },
      },
    },
    // Okta issues a refresh token when the request asked for offline_access, without a consent
    // prompt. oidc-provider drops offline_access from a request without prompt=consent (OIDC
    // Core §11), so the PKCE challenges of requests that asked for it are remembered.
    issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token')
      && (code.scopes.has('offline_access') || offlineChallenges.has(code.codeChallenge)),
    // Okta rotates a SPA's refresh token at every use, DPoP-bound or not. oidc-provider's
    // default rotates a public client's only while it is not sender-constrained (demo-spa's
    // bearer refresh tokens: unchanged); this rotates demo-spa-dpop's too.
    rotateRefreshToken: (ctx) => ctx.oidc.client.clientAuthMethod === 'none',
    clientBasedCORS: (ctx, origin) => appOrigins.includes(origin),
    async findAccount(ctx, sub) {
      return { accountId: sub, claims: async () => ({ sub, ...TEST_USER.claims }) };
    },
    // The demo SPA is first-party: consent is implied, as in Okta for an org's own apps.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const grant = await ctx.oidc.provider.Grant.find(grantId);
        if (grant) return grant;
      }
      if (!autoConsent || !ctx.oidc.session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email offline_access');
      await grant.save();
      return grant;
    },
  };
}

/** Okta's route names under a path prefix ('/oauth2/v1' for the org server, '/v1' for a custom server). */
function oktaRoutes(prefix) {
  return {
    authorization: `${prefix}/authorize`,
    token: `${prefix}/token`,
    jwks: `${prefix}/keys`,
    userinfo: `${prefix}/userinfo`,
    introspection: `${prefix}/introspect`,
    revocation: `${prefix}/revoke`,
    end_session: `${prefix}/logout`,
  };
}

/**
 * Starts one authorization server. `mountPath` is the issuer's path ('' for an org server,
 * '/oauth2/default' for a custom one); `port` 0 takes a free port (the issuer names the port
 * taken). A busy port rejects with `hint` (see scripts/serve.mjs `listen`). Resolves to
 * { issuer, server, rotateKeys(), close() }; close() ends open connections too.
 */
export async function startAuthorizationServer({
  host = '127.0.0.1',
  port,
  mountPath = '',
  appOrigins = ['http://127.0.0.1:8080'],
  autoLogin = false,
  hint,
}) {
  // The issuer names the port, so the server listens first; `provider` and `issuer` are set
  // before the first request can arrive.
  let issuer;
  let provider;
  let keys = [newSigningKey()];
  const routes = oktaRoutes(mountPath ? '/v1' : '/oauth2/v1');
  const { Adapter, endSessions } = memoryAdapter();
  const offlineChallenges = new Set();
  const hostile = hostileSwitch({ signingKey: () => keys[0] });
  // 32 fixed bytes (oidc-provider's requirement), one secret per server: a nonce of the org
  // server is no nonce of the custom one.
  const dpopNonceSecret = createHash('sha256').update(`dev-idp DPoP nonce secret ${mountPath || '/'}`).digest();

  const build = () => {
    const provider = new Provider(issuer, { ...configuration({ appOrigins, keys, autoConsent: true, adapter: Adapter, offlineChallenges, dpopNonceSecret }), routes });
    provider.registerResponseMode('okta_post_message', oktaPostMessage(hostile));
    // The hostile switch bends ID tokens from the token endpoint and adds keys to the key set.
    provider.use(async (ctx, next) => {
      await next();
      if (!hostile.case || !ctx.body || typeof ctx.body !== 'object') return;
      if (ctx.method === 'POST' && ctx.path.endsWith('/token') && typeof ctx.body.id_token === 'string') {
        ctx.body = { ...ctx.body, id_token: hostile.idToken(ctx.body.id_token, 'token') };
      } else if (ctx.path.endsWith('/keys') && Array.isArray(ctx.body.keys)) {
        ctx.body = { keys: [...ctx.body.keys, ...hostile.extraKeys()] };
      }
    });
    // Discovery lists what this provider can answer in, okta_post_message included.
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/.well-known/openid-configuration' && ctx.body?.response_modes_supported) {
        ctx.body.response_modes_supported = [...ctx.body.response_modes_supported, 'okta_post_message'];
      }
    });
    return provider;
  };

  // Signs the test user in, and consents when asked (native clients always are).
  const autoSignIn = async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const result = {};
    if (details.prompt.name === 'login') {
      result.login = { accountId: TEST_USER.login };
    } else if (details.prompt.name === 'consent') {
      let { grantId } = details;
      if (!grantId) {
        const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        grant.addOIDCScope('openid profile email offline_access');
        grantId = await grant.save();
      }
      result.consent = { grantId };
    }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  };

  const rotateKeys = () => {
    // A new key signs from now on; the old one stays published so earlier tokens verify.
    keys = [newSigningKey(), ...keys].slice(0, 2);
    provider = build();
    return keys[0].kid;
  };
  const controls = {
    '/__test/rotate-keys': () => ({ kid: rotateKeys() }),
    '/__test/end-session': () => ({ ended: endSessions() }),
    '/__test/hostile': (query) => ({ case: hostile.set(query.get('case')) }),
  };

  const server = createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, issuer);
      if (Object.hasOwn(controls, pathname)) {
        const allowed = req.method === 'POST' && isLoopback(req.socket.remoteAddress);
        res.writeHead(allowed ? 200 : 403, { 'content-type': 'application/json' });
        res.end(allowed ? JSON.stringify(controls[pathname](new URL(req.url, issuer).searchParams)) : '{"error":"test controls: POST from loopback only"}');
        return;
      }
      if (pathname.endsWith('/v1/authorize')) {
        const params = new URL(req.url, issuer).searchParams;
        if (params.get('code_challenge') && params.get('scope')?.split(' ').includes('offline_access')) {
          offlineChallenges.add(params.get('code_challenge'));
        }
      }
      if (mountPath) {
        if (!pathname.startsWith(mountPath + '/')) {
          res.writeHead(404).end();
          return;
        }
        req.originalUrl = req.url;
        req.url = req.url.slice(mountPath.length);
      }
      if (autoLogin && /^\/interaction\/[^/]+$/.test(new URL(req.url, issuer).pathname) && req.method === 'GET') {
        await autoSignIn(req, res);
        return;
      }
      provider.callback()(req, res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(e?.message ?? e));
    }
  });
  const taken = await listen(server, { port, host, hint });
  issuer = `http://${host}:${taken}${mountPath}`;
  provider = build();
  return {
    issuer,
    server,
    // The resource server's in-process token lookup: the AccessToken (a model with
    // accountId, clientId, scope, jkt, ...) while it is valid, else undefined. Asks the
    // current provider, so it works across key rotations.
    findAccessToken: (value) => provider.AccessToken.find(value),
    rotateKeys,
    endSessions,
    hostile,
    close: () => closeServer(server),
  };
}

/**
 * Both servers: the org server on `orgPort`, the custom `default` server on `customPort`,
 * and the resource server (dev-idp/resource.mjs) on `resourcePort` (0: free ports; the
 * resource server takes a free one unless told). `hints` = { org, custom, resource }: what a
 * busy port's error advises. If one cannot start, those already started are stopped before
 * the error is thrown. Resolves to { org, custom, resource, findAccessToken, close() }.
 */
export async function startDevIdp({ orgPort = 4000, customPort = 4001, resourcePort = 0, appOrigins, autoLogin = false, hints = {} } = {}) {
  const started = [];
  const stopAll = () => Promise.all(started.map((s) => s.close()));
  try {
    const org = await startAuthorizationServer({ port: orgPort, appOrigins, autoLogin, hint: hints.org });
    started.push(org);
    const custom = await startAuthorizationServer({ port: customPort, mountPath: '/oauth2/default', appOrigins, autoLogin, hint: hints.custom });
    started.push(custom);
    // A token of either authorization server (each has its own store), with its issuer.
    const findAccessToken = async (value) => {
      for (const as of [org, custom]) {
        const token = await as.findAccessToken(value);
        if (token) {
          return { iss: as.issuer, sub: token.accountId, client_id: token.clientId, scope: token.scope, jkt: token.jkt, exp: token.exp };
        }
      }
      return undefined;
    };
    const resource = await startResourceServer({ port: resourcePort, appOrigins, findAccessToken, hint: hints.resource });
    started.push(resource);
    return { org, custom, resource, findAccessToken, close: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  let idp;
  try {
    idp = await startDevIdp({
      autoLogin: process.env.AUTO_LOGIN === '1',
      resourcePort: 4002,
      hints: { org: 'stop the other provider (a `make demo`?)', custom: 'stop the other provider (a `make demo`?)', resource: 'stop the other provider (a `make demo`?)' },
    });
  } catch (e) {
    if (e.code !== 'EADDRINUSE') throw e;
    console.error(`error: ${e.message}`);
    process.exit(1);
  }
  console.log(`org authorization server:    ${idp.org.issuer}`);
  console.log(`custom authorization server: ${idp.custom.issuer}`);
  console.log(`resource server (API):       ${idp.resource.url}/api/profile`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, async () => { await idp.close(); process.exit(0); });
}
