// Sign-in in a popup window. The window opens synchronously, inside the app's click (a
// popup opened after an await is blocked); the authorize URL is loaded into it once built.
import { core, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { forgetUnused } from './dpop.js';
import { buildRequest, completeSignIn } from './flow.js';
import { awaitResponse } from './messages.js';
import { provider } from './provider.js';
import type { SignInOptions } from './types.js';

const TARGET = '_blank';
const FEATURES = 'popup=yes,width=500,height=680';

function open(ctx: Ctx): Window {
  const current = ctx.popup;
  if (current) {
    let closed = true;
    try {
      closed = current.closed;
    } catch {
      // A window that cannot be read counts as closed.
    }
    if (!closed) {
      try {
        current.focus();
      } catch {
        // Focus is a courtesy.
      }
      throw core.error('popup_in_progress');
    }
  }
  let popup: Window | null = null;
  try {
    popup = ctx.env.window.open('', TARGET, FEATURES);
  } catch {
    popup = null;
  }
  // No window.open at all: not a page (Node, a server render), not a blocker.
  if (!popup) throw core.error(typeof ctx.env.window.open === 'function' ? 'popup_blocked' : 'no_page');
  ctx.popup = popup;
  return popup;
}

/**
 * Opens the popup now (synchronously: this must run inside the user's click), then builds the
 * request, loads it in the popup, awaits the answer and completes the sign-in. The popup is
 * closed however it ends.
 */
export function signInWithPopup(ctx: Ctx, options: SignInOptions | undefined): Promise<StoredText> {
  let popup: Window;
  try {
    popup = open(ctx);
  } catch (e) {
    return Promise.reject(e);
  }
  const run = async () => {
    const request = await buildRequest(ctx, options, 'popup');
    try {
      const p = await provider(ctx);
      const validated = await awaitResponse(
        ctx,
        { origin: request.origin ?? '', source: () => popup, provider: p, transaction: request.transaction },
        { ms: ctx.settings.popupTimeoutMs, kind: 'popup_timeout' },
        popup,
        () => {
          if (popup.closed) throw core.error('popup_closed');
          try {
            popup.location.replace(request.url);
          } catch {
            throw core.error('popup_closed');
          }
        },
      );
      try {
        popup.close();
      } catch {
        // Already closed.
      }
      return await completeSignIn(ctx, request.transaction, validated);
    } catch (e) {
      forgetUnused(ctx, request.jkt);
      throw e;
    }
  };
  return run().finally(() => {
    try {
      popup.close();
    } catch {
      // Already closed.
    }
    if (ctx.popup === popup) ctx.popup = null;
  });
}
