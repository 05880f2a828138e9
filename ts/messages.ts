// The answer of a popup or silent sign-in: a message event, taken only from the expected
// origin, then only from the expected window, then only when the core says it answers this
// sign-in's state. A deadline, and for a popup a closed-window poll (then a short grace for an
// answer already on its way), end the wait.
import { core, type Provider, type TransactionText, type ValidatedResponse } from './core.js';
import type { Ctx } from './context.js';
import type { AuthError } from './errors.js';

/** How often a popup is checked for having been closed, in ms. */
export const CLOSED_POLL_MS = 250;

/**
 * How long the answer may still arrive once the popup is seen closed, in ms. A provider page
 * may post its answer and close itself at once (`web_message` does: `postMessage` then
 * `window.close()`); the opener can see `closed` before the message event is dispatched
 * (timers and messages are separate task sources), so a poll that rejected at once lost
 * sign-ins that had worked (seen as `popup_closed` in Chromium on a loaded machine).
 */
export const CLOSED_GRACE_MS = 500;

export interface Expected {
  origin: string;
  source: () => MessageEventSource | null;
  provider: Provider;
  transaction: TransactionText;
}

/**
 * Listens, then calls `navigate`, and settles with the first of: the validated response (or
 * the error the core found in it), the deadline (`timeoutKind`), or the popup closed
 * (`CLOSED_GRACE_MS` after a poll saw it so). Every
 * listener and timer is removed whatever settles it.
 */
export function awaitResponse(
  ctx: Ctx,
  expected: Expected,
  deadline: { ms: number; kind: 'popup_timeout' | 'silent_timeout' },
  popup: Window | null,
  navigate: () => void,
): Promise<ValidatedResponse> {
  const w = ctx.env.window;
  const cleanup: (() => void)[] = [];
  return new Promise<ValidatedResponse>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      for (const c of cleanup) c();
      f();
    };
    const listener = (event: MessageEvent) => {
      if (settled || event.origin !== expected.origin) return;
      const source = expected.source();
      if (!event.source || event.source !== source) return;
      let data: string | undefined;
      try {
        data = JSON.stringify(event.data);
      } catch {
        return;
      }
      if (data === undefined) return;
      let verdict: ValidatedResponse | null;
      try {
        verdict = core.validateMessage(ctx.config, expected.provider, expected.transaction, data);
      } catch (e) {
        settle(() => reject(e as AuthError));
        return;
      }
      if (verdict) {
        const v = verdict;
        settle(() => resolve(v));
      }
    };
    w.addEventListener('message', listener);
    cleanup.push(() => w.removeEventListener('message', listener));
    const timer = w.setTimeout(() => settle(() => reject(core.error(deadline.kind))), deadline.ms);
    cleanup.push(() => w.clearTimeout(timer));
    if (popup) {
      let seenClosed = 0;
      const poll = w.setInterval(() => {
        let closed = true;
        try {
          closed = popup.closed;
        } catch {
          // A window that cannot be read counts as closed.
        }
        // Seen closed: `CLOSED_GRACE_MS` more of polls, for an answer on its way.
        if (closed && (seenClosed += CLOSED_POLL_MS) > CLOSED_GRACE_MS) settle(() => reject(core.error('popup_closed')));
      }, CLOSED_POLL_MS);
      cleanup.push(() => w.clearInterval(poll));
    }
    try {
      navigate();
    } catch (e) {
      settle(() => reject(e));
    }
  });
}
