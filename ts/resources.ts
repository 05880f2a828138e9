// The provider's resources for the signed-in user: userinfo, introspection, revocation, and
// sign-out (RP-initiated logout, after revoking the tokens).
import { core, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { send } from './http.js';
import { provider } from './provider.js';
import * as tokens from './store.js';
import type { Introspection, UserInfo } from './types.js';

export async function getUser(ctx: Ctx): Promise<UserInfo> {
  tokens.sync(ctx);
  const held = ctx.held;
  const request = core.userinfoRequest(ctx.config, await provider(ctx), held);
  const r = await send(ctx.env, request, 'userinfo endpoint', ctx.settings.httpTimeoutMs);
  return JSON.parse(core.processUserinfoResponse(ctx.config, held as StoredText, r)) as UserInfo;
}

export async function introspect(ctx: Ctx, token: string, hint: string | undefined): Promise<Introspection> {
  const request = core.introspectRequest(ctx.config, await provider(ctx), '', token, hint ?? '');
  const r = await send(ctx.env, request, 'introspection endpoint', ctx.settings.httpTimeoutMs);
  return JSON.parse(core.processIntrospectResponse(r)) as Introspection;
}

/** RFC 7009: revokes the held token, then drops it if it is still the one held. */
export async function revoke(ctx: Ctx, which: 'access' | 'refresh'): Promise<void> {
  tokens.sync(ctx);
  const held = ctx.held;
  const p = await provider(ctx);
  const request = core.revokeRequest(ctx.config, p, held, which);
  core.processRevokeResponse(await send(ctx.env, request, 'revocation endpoint', ctx.settings.httpTimeoutMs));
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
        await send(ctx.env, request, 'revocation endpoint', ctx.settings.httpTimeoutMs);
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
