// The token manager's events: added, renewed, expired, removed, error.
import { core, type StoredText } from './core.js';
import type { Ctx, Listener } from './context.js';
import type { AuthError } from './errors.js';
import type { AuthEvents, Tokens } from './types.js';

export const EVENTS = ['added', 'renewed', 'expired', 'removed', 'error'] as const;

/** The app's view of stored tokens (the core writes it). */
export function view(ctx: Ctx, stored: StoredText): Tokens {
  return JSON.parse(core.tokensView(ctx.config, stored)) as Tokens;
}

function emit<K extends keyof AuthEvents>(ctx: Ctx, event: K, payload: AuthEvents[K]): void {
  for (const f of [...(ctx.listeners.get(event) ?? [])]) {
    try {
      (f as (p: AuthEvents[K]) => void)(payload);
    } catch {
      // A listener's own failure is the app's; the library carries on.
    }
  }
}

export function emitTokens(ctx: Ctx, event: 'added' | 'renewed' | 'expired' | 'removed', stored: StoredText): void {
  if (ctx.listeners.get(event)?.size) emit(ctx, event, view(ctx, stored));
}

export function emitError(ctx: Ctx, error: unknown): void {
  emit(ctx, 'error', error as AuthError);
}

function eventName(name: string): keyof AuthEvents {
  if (!(EVENTS as readonly string[]).includes(name)) throw core.error('invalid_event', name);
  return name as keyof AuthEvents;
}

export function on(ctx: Ctx, name: string, listener: Listener): void {
  const event = eventName(name);
  let set = ctx.listeners.get(event);
  if (!set) ctx.listeners.set(event, (set = new Set()));
  set.add(listener);
}

export function off(ctx: Ctx, name: string, listener: Listener): void {
  ctx.listeners.get(eventName(name))?.delete(listener);
}

