// Sign-in by redirect: the transaction waits in sessionStorage and localStorage (keyed by
// state, expiring after 10 minutes) while the whole page goes to the provider and back.
import { core, type StoredText, type TransactionText } from './core.js';
import type { Ctx } from './context.js';
import { buildRequest, completeSignIn } from './flow.js';
import { provider } from './provider.js';
import type { SignInOptions } from './types.js';

function storages(ctx: Ctx): Storage[] {
  const w = ctx.env.window;
  const out: Storage[] = [];
  for (const get of [() => w.sessionStorage, () => w.localStorage]) {
    try {
      const s = get();
      if (s) out.push(s);
    } catch {
      // Blocked by the browser: the other one may do.
    }
  }
  return out;
}

function removeTransaction(ctx: Ctx, state: string): void {
  for (const s of storages(ctx)) {
    try {
      s.removeItem(ctx.keys.transactionPrefix + state);
    } catch {
      // Gone either way.
    }
  }
}

/** Drops every stored transaction the core calls corrupt or expired. */
function sweep(ctx: Ctx, now: number): void {
  const prefix = ctx.keys.transactionPrefix;
  for (const s of storages(ctx)) {
    try {
      const keys: string[] = [];
      for (let i = 0; i < s.length; i++) {
        const k = s.key(i);
        if (k?.startsWith(prefix)) keys.push(k);
      }
      for (const k of keys) {
        const status = core.transactionStatus(ctx.config, s.getItem(k) ?? '', '', now);
        if (status === 'corrupt' || status === 'expired') s.removeItem(k);
      }
    } catch {
      // A storage that throws keeps nothing of ours.
    }
  }
}

function saveTransaction(ctx: Ctx, state: string, text: TransactionText, now: number): void {
  sweep(ctx, now);
  let kept = 0;
  for (const s of storages(ctx)) {
    try {
      s.setItem(ctx.keys.transactionPrefix + state, text);
      kept++;
    } catch {
      // Full or blocked: the other one may do.
    }
  }
  if (kept === 0) {
    throw core.error('internal', 'neither sessionStorage nor localStorage could keep the sign-in transaction (storage disabled or full)');
  }
}

function loadTransaction(ctx: Ctx, state: string, now: number): TransactionText | undefined {
  const k = ctx.keys.transactionPrefix + state;
  for (const s of storages(ctx)) {
    let text: string | null = null;
    try {
      text = s.getItem(k);
    } catch {
      text = null;
    }
    if (text === null) continue;
    switch (core.transactionStatus(ctx.config, text, state, now)) {
      case 'live':
        return text as TransactionText;
      case 'expired':
        removeTransaction(ctx, state);
        return undefined;
      case 'foreign':
        return undefined;
      default:
        try {
          s.removeItem(k);
        } catch {
          // Refused on every read anyway.
        }
    }
  }
  return undefined;
}

/** Builds the request, keeps its transaction, and navigates the page to the provider. */
export async function signInWithRedirect(ctx: Ctx, options: SignInOptions | undefined): Promise<void> {
  const request = await buildRequest(ctx, options, 'redirect');
  saveTransaction(ctx, request.state, request.transaction, ctx.env.now());
  try {
    ctx.env.window.location.assign(request.url);
  } catch {
    removeTransaction(ctx, request.state);
    throw core.error('navigation', 'authorize');
  }
}

function parseUrl(ctx: Ctx, url: string | undefined): URL {
  const here = ctx.env.window.location.href;
  try {
    return new URL(url ?? here, here);
  } catch {
    throw core.error('invalid_url');
  }
}

export function isRedirectCallback(ctx: Ctx, url: string | undefined): boolean {
  try {
    const u = parseUrl(ctx, url);
    return core.isRedirectCallback(u.search, u.hash);
  } catch {
    return false;
  }
}

/**
 * Reads the response in `url` (default: the page's), finds its transaction, removes the
 * response from the address bar, and completes the sign-in. A call while another with the
 * same `url` is under way shares its outcome: the response is redeemed once, and both learn
 * how it went (the second would otherwise find the transaction spent). Once settled, a
 * replay is transaction_not_found as before.
 */
export function handleRedirect(ctx: Ctx, url: string | undefined): Promise<{ stored: StoredText; appState: string }> {
  const key = url ?? '';
  if (ctx.redirect?.[0] === key) return ctx.redirect[1];
  const outcome = completeRedirect(ctx, url).finally(() => {
    if (ctx.redirect?.[1] === outcome) ctx.redirect = undefined;
  });
  ctx.redirect = [key, outcome];
  return outcome;
}

async function completeRedirect(ctx: Ctx, url: string | undefined): Promise<{ stored: StoredText; appState: string }> {
  const w = ctx.env.window;
  const here = w.location.href;
  const parsed = parseUrl(ctx, url);
  const now = ctx.env.now();
  let transaction: TransactionText | undefined;
  for (const state of core.redirectStates(parsed.search, parsed.hash)) {
    transaction = loadTransaction(ctx, state, now);
    if (transaction) {
      removeTransaction(ctx, state);
      break;
    }
  }
  if (!transaction) throw core.error('transaction_not_found');
  if (url === undefined || url === here) {
    const clean = core.cleanedLocation(transaction, parsed.search, parsed.hash);
    if (clean) {
      try {
        w.history.replaceState(w.history.state, '', parsed.pathname + clean.search + clean.hash);
      } catch {
        // The address bar keeps the response; the transaction is spent anyway.
      }
    }
  }
  const p = await provider(ctx);
  const validated = core.validateRedirectResponse(ctx.config, p, transaction, parsed.search, parsed.hash);
  const stored = await completeSignIn(ctx, transaction, validated);
  return { stored, appState: core.transactionAppState(transaction) };
}
