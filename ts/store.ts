// The tokens held: memory and storage kept in step (another tab may write), with events.
// The stored format, and whether a change is an addition or a renewal, are the core's.
import { core, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import type { AuthError } from './errors.js';
import { rebind } from './dpop.js';
import { emitError, emitTokens } from './events.js';
import type { TokenStorage } from './types.js';

/** The storage problems, in the core's words (src/exports.rs `storage_problem`). */
const PROBLEMS = {
  custom: 'the custom storage object was not given',
  sessionStorage: 'sessionStorage is not available (blocked by the browser)',
  localStorage: 'localStorage is not available (blocked by the browser)',
  read: 'could not be read (getItem threw)',
  type: 'getItem returned something other than a string',
  write: 'could not be written (setItem or removeItem threw: full, or blocked)',
} as const;

function storageError(problem: keyof typeof PROBLEMS): AuthError {
  return core.error('storage', PROBLEMS[problem]);
}

/** The storage backend, null for memory. */
export function backend(ctx: Ctx): TokenStorage | null {
  const w = ctx.env.window;
  switch (ctx.settings.storage) {
    case 'memory':
      return null;
    case 'custom':
      if (!ctx.customStorage) throw storageError('custom');
      return ctx.customStorage;
    default: {
      let s: Storage | null = null;
      try {
        s = ctx.settings.storage === 'localStorage' ? w.localStorage : w.sessionStorage;
      } catch {
        s = null;
      }
      if (!s) throw storageError(ctx.settings.storage);
      return s;
    }
  }
}

function readRaw(storage: TokenStorage, key: string): string | null {
  let value: unknown;
  try {
    value = storage.getItem(key);
  } catch {
    throw storageError('read');
  }
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw storageError('type');
  return value;
}

/** Brings memory in step with storage (another tab may have written it), with events. */
export function sync(ctx: Ctx): void {
  let storage: TokenStorage | null;
  try {
    storage = backend(ctx);
  } catch (e) {
    if (!ctx.loaded) {
      ctx.loaded = true;
      emitError(ctx, e);
    }
    return;
  }
  if (!storage) {
    ctx.loaded = true;
    return;
  }
  const key = ctx.keys.tokens;
  let raw: string | null;
  try {
    raw = readRaw(storage, key);
  } catch (e) {
    emitError(ctx, e);
    return;
  }
  if (ctx.loaded && ctx.lastRaw === raw) return;
  ctx.loaded = true;
  let next: StoredText | '' = '';
  if (raw !== null) {
    try {
      next = core.parseStored(ctx.config, raw);
    } catch (e) {
      try {
        storage.removeItem(key);
      } catch {
        // Nothing more to do: it is refused on every read.
      }
      ctx.lastRaw = null;
      const old = ctx.held;
      ctx.held = '';
      rebind(ctx);
      emitError(ctx, e);
      if (old) emitTokens(ctx, 'removed', old);
      return;
    }
  }
  ctx.lastRaw = raw;
  const old = ctx.held;
  ctx.held = next;
  rebind(ctx);
  const event = core.changeEvent(ctx.config, old, next);
  if (event === 'removed' && old) emitTokens(ctx, 'removed', old);
  else if (event && event !== 'removed' && next) emitTokens(ctx, event, next);
  ctx.schedule();
}

export function persist(ctx: Ctx): void {
  rebind(ctx);
  let storage: TokenStorage | null;
  try {
    storage = backend(ctx);
  } catch (e) {
    emitError(ctx, e);
    return;
  }
  if (!storage) return;
  const key = ctx.keys.tokens;
  try {
    if (ctx.held) {
      ctx.lastRaw = ctx.held;
      storage.setItem(key, ctx.held);
    } else {
      ctx.lastRaw = null;
      storage.removeItem(key);
    }
  } catch {
    emitError(ctx, storageError('write'));
  }
}

/** Keeps `tokens` as the ones held, in memory and storage, with `added` or `renewed`. */
export function store(ctx: Ctx, tokens: StoredText): void {
  if (!ctx.loaded) sync(ctx);
  const old = ctx.held;
  ctx.held = tokens;
  ctx.loaded = true;
  persist(ctx);
  const event = core.changeEvent(ctx.config, old, tokens);
  if (event === 'added' || event === 'renewed') emitTokens(ctx, event, tokens);
  ctx.schedule();
}

/** Keeps `remaining` ("" for none) and announces `removed`. */
export function remove(ctx: Ctx, remaining: StoredText | '', removed: StoredText): void {
  ctx.held = remaining;
  ctx.loaded = true;
  persist(ctx);
  emitTokens(ctx, 'removed', removed);
  ctx.schedule();
}

/** Drops every token held; returns what was held. */
export function clear(ctx: Ctx): StoredText | '' {
  const held = ctx.held;
  if (held) remove(ctx, '', held);
  else persist(ctx);
  return held;
}

/**
 * The renewal rule shared by refresh and silent renewal: its answer is kept only while the
 * tokens it renewed are still held. Returns undefined to keep it, what is held now when
 * another renewal (another tab) replaced them, and throws `not_authenticated` after a
 * sign-out: a renewal never signs a user back in.
 */
export function superseded(ctx: Ctx, renewed: StoredText): StoredText | undefined {
  sync(ctx);
  if (ctx.held === renewed) return undefined;
  if (ctx.held) return ctx.held;
  throw core.error('not_authenticated_signed_out');
}

