// Renewal: one at a time per client, and per origin under a Web Lock when storage is
// shared; auto-renew timers. When tokens are due, and what a refresh keeps, is the core's.
import { core, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { verifiedClaims } from './crypto.js';
import type { AuthError } from './errors.js';
import { emitError, emitTokens, view } from './events.js';
import { send } from './http.js';
import { signInSilently } from './iframe.js';
import { provider } from './provider.js';
import { backend, persist, store, superseded, sync } from './store.js';
import type { TokenStorage } from './types.js';

type Which = 'all' | 'id' | 'access';

/** The tokens held, renewed first when `which` of them is due. */
export async function getTokens(ctx: Ctx, which: Which): Promise<StoredText | ''> {
  sync(ctx);
  const held = ctx.held;
  if (!held) return '';
  if (!core.renewalDue(ctx.config, held, which, ctx.env.now())) return held;
  const renewed = await renewTokens(ctx);
  core.validateRenewed(ctx.config, renewed, which, ctx.env.now());
  return renewed;
}

export async function isAuthenticated(ctx: Ctx): Promise<boolean> {
  try {
    const held = await getTokens(ctx, 'all');
    if (!held) return false;
    const t = view(ctx, held);
    return t.idToken !== undefined || t.accessToken !== undefined;
  } catch {
    return false;
  }
}

/** Renews the tokens: one renewal per client at a time, every caller gets its outcome. */
export function renewTokens(ctx: Ctx): Promise<StoredText> {
  if (!ctx.renewal) {
    const renewal: Promise<StoredText> = renewNow(ctx).finally(() => {
      if (ctx.renewal === renewal) ctx.renewal = undefined;
    });
    ctx.renewal = renewal;
  }
  return ctx.renewal;
}

async function renewNow(ctx: Ctx): Promise<StoredText> {
  sync(ctx);
  const before = ctx.held;
  const shared = ctx.settings.storage === 'localStorage' || ctx.settings.storage === 'custom';
  if (!shared) return renewLocked(ctx, before);
  let storage: TokenStorage | null = null;
  try {
    storage = backend(ctx);
  } catch {
    storage = null;
  }
  return withRenewalLock(ctx, storage, () => renewLocked(ctx, before));
}

function marker(storage: TokenStorage | null, key: string): string | null {
  try {
    return storage ? storage.getItem(key) : null;
  } catch {
    return null;
  }
}

/**
 * Runs `work` under the origin's Web Lock for this client, so that two tabs sharing storage
 * never spend the same (rotating) refresh token. A tab that had to wait reads storage only
 * once the marker written after every locked renewal has changed (at most 3 s): Chromium's
 * per-process storage copies are not ordered with the lock hand-over.
 */
async function withRenewalLock(ctx: Ctx, storage: TokenStorage | null, work: () => Promise<StoredText>): Promise<StoredText> {
  const key = ctx.keys.marker;
  const seen = marker(storage, key);
  const w = ctx.env.window;
  const run = async (contended: boolean): Promise<StoredText> => {
    for (let waited = 0; contended && waited < 3000 && marker(storage, key) === seen; waited += 10) {
      await new Promise((r) => w.setTimeout(r, 10));
    }
    try {
      return await work();
    } finally {
      try {
        storage?.setItem(key, Date.now().toString(36) + Math.random().toString(36).slice(1));
      } catch {
        // The marker only speeds other tabs up.
      }
    }
  };
  const locks = ctx.env.locks;
  if (!locks) return work();
  let ran = false;
  let result: StoredText | undefined;
  const locked = (contended: boolean) => async (lock: Lock | null) => {
    if (!lock) return;
    ran = true;
    result = await run(contended);
  };
  try {
    await locks.request(ctx.keys.lock, { ifAvailable: true }, locked(false));
    if (!ran) await locks.request(ctx.keys.lock, locked(true));
  } catch (e) {
    if (ran) throw e;
    return work();
  }
  return result as StoredText;
}

async function renewLocked(ctx: Ctx, before: StoredText | ''): Promise<StoredText> {
  sync(ctx);
  const held = ctx.held;
  if (held && held !== before && !core.renewalDue(ctx.config, held, 'all', ctx.env.now())) return held;
  if (held && core.renewalPath(ctx.config, held) === 'refresh') return refresh(ctx, held);
  if (held) return signInSilently(ctx, undefined, held);
  if (before) throw core.error('not_authenticated_signed_out');
  return signInSilently(ctx, undefined, '');
}

/** RFC 6749 §6: the refresh token grant, then the core's rules for what is kept. */
async function refresh(ctx: Ctx, held: StoredText): Promise<StoredText> {
  const p = await provider(ctx);
  const request = core.refreshRequest(ctx.config, p, held);
  const response = await send(ctx.env, request, 'token endpoint', ctx.settings.httpTimeoutMs);
  let answer;
  try {
    answer = core.processTokenResponse(response, '');
  } catch (e) {
    if ((e as AuthError).oauthError === 'invalid_grant') {
      sync(ctx);
      const now = ctx.held;
      if (now) {
        if (core.invalidGrantOutcome(ctx.config, held, now, ctx.env.now()) === 'current') return now;
        ctx.held = '';
        persist(ctx);
        emitTokens(ctx, 'expired', now);
      }
    }
    throw e;
  }
  const expect = core.refreshIdTokenExpect(ctx.config, held, answer);
  if (expect) await verifiedClaims(ctx, expect, ctx.env.now());
  const replaced = superseded(ctx, held);
  if (replaced) return replaced;
  const stored = core.completeRefresh(ctx.config, held, answer, ctx.env.now());
  store(ctx, stored);
  return stored;
}

function renewIfDue(ctx: Ctx): void {
  sync(ctx);
  if (ctx.held && core.renewalDue(ctx.config, ctx.held, 'all', ctx.env.now())) {
    renewTokens(ctx).catch((e: unknown) => emitError(ctx, e));
  } else {
    schedule(ctx);
  }
}

/** Arms the auto-renew timer for the tokens held (the core says when). */
export function schedule(ctx: Ctx): void {
  const w = ctx.env.window;
  if (ctx.timer !== undefined) {
    w.clearTimeout(ctx.timer);
    ctx.timer = undefined;
  }
  if (!ctx.settings.autoRenew || !ctx.held) return;
  const seconds = core.renewalDelay(ctx.config, ctx.held, ctx.env.now());
  if (seconds < 0) return;
  ctx.timer = w.setTimeout(() => {
    ctx.timer = undefined;
    renewIfDue(ctx);
  }, seconds * 1000);
}

/** Listens for other tabs' writes (shared storage) and for the page coming back (auto-renew). */
export function start(ctx: Ctx): void {
  ctx.schedule = () => schedule(ctx);
  const w = ctx.env.window;
  // Outside a page (Node, a server render) there are no events to listen for.
  if (typeof w.addEventListener !== 'function') return;
  if (ctx.settings.storage === 'localStorage' || ctx.settings.storage === 'custom') {
    w.addEventListener('storage', (e: StorageEvent) => {
      if (e.key !== null && e.key !== ctx.keys.tokens) return;
      sync(ctx);
    });
  }
  if (ctx.settings.autoRenew) {
    const check = () => {
      const state = w.document?.visibilityState;
      if (state === undefined || state === 'visible') renewIfDue(ctx);
    };
    w.addEventListener('focus', check);
    w.document?.addEventListener('visibilitychange', check);
  }
}
