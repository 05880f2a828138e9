// Silent sign-in in a hidden iframe (prompt=none): renews tokens while the provider's
// session is alive. Concurrent calls with the same options share one iframe.
import { core, type StoredText } from './core.js';
import type { Ctx } from './context.js';
import { forgetUnused } from './dpop.js';
import { buildRequest, completeSignIn, optionsJson } from './flow.js';
import { awaitResponse } from './messages.js';
import { provider } from './provider.js';
import type { SignInOptions } from './types.js';

/**
 * A silent sign-in. `renewing`: the tokens a renewal renews (its answer must be for their
 * user, and is kept only while they are still held), or "" for a plain silent sign-in.
 */
export function signInSilently(ctx: Ctx, options: SignInOptions | undefined, renewing: StoredText | ''): Promise<StoredText> {
  const key = optionsJson(options) + '\u0000' + renewing;
  if (ctx.silent?.options === key) return ctx.silent.outcome;
  const outcome = run(ctx, options, renewing);
  if (!ctx.silent) {
    const slot = { options: key, outcome };
    ctx.silent = slot;
    const free = () => {
      if (ctx.silent === slot) ctx.silent = undefined;
    };
    outcome.then(free, free);
  }
  return outcome;
}

async function run(ctx: Ctx, options: SignInOptions | undefined, renewing: StoredText | ''): Promise<StoredText> {
  const request = await buildRequest(ctx, options, 'silent');
  const p = await provider(ctx);
  const document = ctx.env.window.document;
  if (!document) throw core.error('no_page');
  const iframe = document.createElement('iframe');
  iframe.style.display = 'none';
  iframe.setAttribute('aria-hidden', 'true');
  iframe.setAttribute('tabindex', '-1');
  iframe.setAttribute('title', 'okta-auth-wasm silent sign-in');
  try {
    const validated = await awaitResponse(
      ctx,
      { origin: request.origin ?? '', source: () => iframe.contentWindow, provider: p, transaction: request.transaction },
      { ms: ctx.settings.silentTimeoutMs, kind: 'silent_timeout' },
      null,
      () => {
        // The URL first, then into the page: inserted without one, the iframe would first
        // load about:blank in its own document (in Chromium: ~7 ms against ~2 ms).
        iframe.src = request.url;
        (document.body ?? document.documentElement).insertAdjacentElement('beforeend', iframe);
      },
    );
    // The iframe goes once the token request is on its way: taking a frame out of the page
    // is main-thread work (~2 ms in Chromium), done while the network answers.
    return await completeSignIn(ctx, request.transaction, validated, renewing, () => iframe.remove());
  } catch (e) {
    forgetUnused(ctx, request.jkt);
    throw e;
  } finally {
    iframe.remove();
  }
}
