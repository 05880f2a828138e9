// The provider's resources for the signed-in user: userinfo, introspection, revocation, and
// sign-out (RP-initiated logout, after revoking the tokens).
import { core, type CoreResponse, type DpopBinding, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { noteNonce, proof, sendBound } from './dpop.js';
import { getTokens } from './renewal.js';
import { provider } from './provider.js';
import * as tokens from './store.js';
import type { Introspection, UserInfo } from './types.js';

export async function getUser(ctx: Ctx): Promise<UserInfo> {
  tokens.sync(ctx);
  const held = ctx.held;
  const request = core.userinfoRequest(ctx.config, await provider(ctx), held);
  const r = await sendBound(ctx, request, 'userinfo endpoint');
  return JSON.parse(core.processUserinfoResponse(ctx.config, held as StoredText, r)) as UserInfo;
}

export async function introspect(ctx: Ctx, token: string, hint: string | undefined): Promise<Introspection> {
  const request = core.introspectRequest(ctx.config, await provider(ctx), token, hint ?? '');
  const r = await sendBound(ctx, request, 'introspection endpoint');
  return JSON.parse(core.processIntrospectResponse(r)) as Introspection;
}

/** RFC 7009: revokes the held token, then drops it if it is still the one held. */
export async function revoke(ctx: Ctx, which: 'access' | 'refresh'): Promise<void> {
  tokens.sync(ctx);
  const held = ctx.held;
  const p = await provider(ctx);
  const request = core.revokeRequest(ctx.config, p, held, which);
  core.processRevokeResponse(await sendBound(ctx, request, 'revocation endpoint'));
  if (!ctx.held) return;
  const split = core.withoutToken(ctx.config, ctx.held, which, request.token);
  if (split) tokens.remove(ctx, split.remaining, split.removed);
}

/**
 * Clears the tokens (memory, storage, other tabs), revokes them unless `revoke: false`, and
 * returns the end-session URL to navigate to ("" when there is none, or for `local`).
 */
export async function signOutUrl(ctx: Ctx, optionsText: string): Promise<string> {
  tokens.sync(ctx);
  const options = core.signOutOptions(optionsText);
  if (options.local) {
    tokens.clear(ctx);
    return '';
  }
  let p;
  try {
    p = await provider(ctx);
  } catch (e) {
    tokens.clear(ctx);
    throw e;
  }
  const url = core.endSessionUrl(ctx.config, p, ctx.held, optionsText);
  const held = tokens.clear(ctx);
  if (options.revoke && p.revoke && held) {
    for (const which of ['refresh', 'access'] as const) {
      try {
        const request = core.revokeRequest(ctx.config, p, held, which);
        await sendBound(ctx, request, 'revocation endpoint');
      } catch {
        // Best effort: the user is signed out locally whatever the provider says.
      }
    }
  }
  return url;
}

export async function signOut(ctx: Ctx, optionsText: string): Promise<void> {
  const url = await signOutUrl(ctx, optionsText);
  if (!url) return;
  try {
    ctx.env.window.location.assign(url);
  } catch {
    throw core.error('navigation', 'end_session');
  }
}

/**
 * The headers that authorize `method url` with the access token held (renewed first when
 * due): `Authorization` (Bearer, or DPoP with a fresh `DPoP` proof signed by the tokens' key).
 * `nonce`: the resource server's latest DPoP nonce, if the app has a newer one than ours.
 */
export async function authorization(ctx: Ctx, method: string, url: string, nonce?: string): Promise<{ headers: [string, string][]; dpop?: DpopBinding }> {
  const held = await getTokens(ctx, 'access');
  const api = core.apiRequest(ctx.config, held, method, url);
  if (api.dpop) api.headers.push(['DPoP', await proof(ctx, api.dpop, method, url, nonce)]);
  return api;
}

/**
 * The app's own API call, authorized with the access token held (see `authorization`). A
 * DPoP nonce challenge of the resource server (RFC 9449 §9) is answered once, with a new
 * proof carrying its nonce. The response is the server's, as is; a network failure or an
 * abort rejects as fetch() does, anything else with AuthError.
 */
export async function apiFetch(ctx: Ctx, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  for (let attempt = 0; ; attempt++) {
    const api = await authorization(ctx, request.method, request.url);
    const headers = new Headers(request.headers);
    for (const [name, value] of api.headers) headers.set(name, value);
    // A network failure or the app's abort rejects as fetch() does.
    const r = await ctx.env.fetch(new Request(request.clone(), { headers }));
    const nonce = r.headers.get('dpop-nonce');
    if (!api.dpop) return r;
    noteNonce(ctx, request.url, nonce);
    const answer: CoreResponse = {
      status: r.status,
      contentType: '',
      wwwAuthenticate: r.headers.get('www-authenticate') ?? '',
      body: new Uint8Array(0),
      dpopNonce: nonce,
    };
    if (attempt > 0 || !nonce || !core.dpopNonceChallenge(answer)) return r;
  }
}
