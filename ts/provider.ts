// What the client learns about the provider: its endpoints (derived, or from discovery) and
// its JWK set, cached as the core's texts. When to refetch is the core's rule.
import { core, type Jwk, type JwksText, type Provider } from './core.js';
import type { Ctx } from './context.js';
import { getJson } from './http.js';

/** The provider's endpoints and rules, fetched once (concurrent callers share the request). */
export function provider(ctx: Ctx): Promise<Provider> {
  if (ctx.provider) return Promise.resolve(ctx.provider);
  if (!ctx.providerPending) {
    const derived = core.providerFromConfig(ctx.config);
    if (derived) {
      ctx.provider = derived;
      return Promise.resolve(derived);
    }
    ctx.providerPending = (async () => {
      const r = await getJson(ctx.env, core.discoveryUrl(ctx.config), 'discovery document', ctx.settings.httpTimeoutMs);
      const p = core.processDiscoveryResponse(ctx.config, r);
      ctx.provider = p;
      return p;
    })().finally(() => {
      ctx.providerPending = undefined;
    });
  }
  return ctx.providerPending;
}

function fetchJwks(ctx: Ctx, url: string, now: number): Promise<JwksText> {
  ctx.jwksPending ??= (async () => {
    const r = await getJson(ctx.env, url, 'JWK set', ctx.settings.httpTimeoutMs);
    const text = core.processJwksResponse(r);
    ctx.jwks = { text, fetchedAt: now };
    return text;
  })().finally(() => {
    ctx.jwksPending = undefined;
  });
  return ctx.jwksPending;
}

/**
 * The key the core chose before for `token`'s header in the cached JWK set, when the core
 * says the set may still be used: warm, no call of the core but jwks_action (and no promise).
 */
export function knownKey(ctx: Ctx, token: string, now: number): Jwk | undefined {
  const cached = ctx.jwks;
  if (!ctx.provider || !cached || core.jwksAction(cached.fetchedAt, ctx.lastRefetch, now, false) !== 'use') return undefined;
  if (ctx.keyChoices?.jwks !== cached.text) ctx.keyChoices = { jwks: cached.text, byHeader: new Map() };
  return ctx.keyChoices.byHeader.get(token.slice(0, token.indexOf('.')));
}

/**
 * The key that verifies `token`, from the cached JWK set when the core says it may be used,
 * else from a fresh one (a missing kid refetches, at most once a minute: key rotation).
 * Before any request is made for a token, its structure and header are checked
 * (core.jwsParts: malformed, `none`, `HS*`, or an alg not in `algs`, RFC 8725 §3.1): a
 * forged token costs no discovery and no JWK set fetch. The core's choice depends on the
 * JWS header and the key set alone, so it is kept per header for the cached set: warm, a
 * known header costs no call of the core (crypto.ts then checks the whole token with
 * jwsParts before verifying it).
 */
export async function keyFor(ctx: Ctx, token: string, algs: string, now: number): Promise<Jwk> {
  const known = knownKey(ctx, token, now);
  if (known) return known;
  const warm = ctx.provider;
  const cached = ctx.jwks;
  if (warm && cached && core.jwksAction(cached.fetchedAt, ctx.lastRefetch, now, false) === 'use') {
    const header = token.slice(0, token.indexOf('.'));
    if (ctx.keyChoices?.jwks !== cached.text) ctx.keyChoices = { jwks: cached.text, byHeader: new Map() };
    try {
      const jwk = core.jwsKey(token, warm.algs, cached.text);
      if (ctx.keyChoices.byHeader.size >= 16) ctx.keyChoices.byHeader.clear();
      ctx.keyChoices.byHeader.set(header, jwk);
      return jwk;
    } catch (e) {
      if ((e as { code?: string }).code !== 'key_not_found') throw e;
      if (core.jwksAction(cached.fetchedAt, ctx.lastRefetch, now, true) !== 'refetch') throw e;
      ctx.lastRefetch = now;
      return core.jwsKey(token, warm.algs, await fetchJwks(ctx, warm.keys, now));
    }
  }
  core.jwsParts(token, algs);
  const p = await provider(ctx);
  core.jwsParts(token, p.algs);
  return core.jwsKey(token, p.algs, await fetchJwks(ctx, p.keys, now));
}
