// What every sign-in shares: the authorize request, and the completion of a validated
// authorization response. The core decides each step; this file does the I/O between them.
import { core, type AuthorizeRequestOut, type StoredText, type TransactionText, type ValidatedResponse } from './core.js';
import type { Ctx } from './context.js';
import { verifiedClaims } from './crypto.js';
import { sendBound, signInKey } from './dpop.js';
import { provider } from './provider.js';
import * as tokens from './store.js';
import type { SignInOptions } from './types.js';

/**
 * The app's options as the JSON the core reads: `appState` travels as its JSON text, a
 * number that JSON cannot hold (NaN, Infinity) as a string the core refuses by name.
 */
export function optionsJson(options: unknown): string {
  if (options === undefined || options === null) return '{}';
  if (typeof options !== 'object' || Array.isArray(options)) return JSON.stringify(options) ?? '0';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (k === 'appState') {
      let text: string | undefined;
      try {
        text = JSON.stringify(v);
      } catch {
        text = undefined;
      }
      out[k] = text === undefined ? { notSerialisable: true } : text;
    } else {
      out[k] = coreValue(v);
    }
  }
  return JSON.stringify(out);
}

/**
 * One option's value as the core reads it: a value JSON cannot hold (NaN, Infinity, a
 * function, a symbol, a bigint) becomes one the core refuses by the option's name.
 */
export function coreValue(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return { notJson: typeof v };
  return v;
}

/** The authorize request of one sign-in: endpoints first, then fresh randomness. */
export async function buildRequest(
  ctx: Ctx,
  options: SignInOptions | undefined,
  flow: 'url' | 'redirect' | 'popup' | 'silent',
): Promise<AuthorizeRequestOut & { jkt: string }> {
  const json = optionsJson(options);
  const p = await provider(ctx);
  const jkt = await signInKey(ctx, flow);
  return { jkt, ...core.buildAuthorizeRequest(
    ctx.config,
    p,
    json,
    flow,
    ctx.env.random(core.randomLength()),
    ctx.env.window.location.origin,
    ctx.env.now(),
    jkt,
  ) };
}

/**
 * Completes a sign-in from its transaction and its validated response, and keeps the tokens:
 * the front-channel ID token is verified before the code is redeemed (its signed `iss` is
 * the mix-up defence without RFC 9207), the code is exchanged, the token endpoint's ID token
 * verified, and the core merges them (same `sub`, what is kept). A renewal keeps its answer
 * only while the tokens it renewed are still held: a sign-out meanwhile stays a sign-out.
 * `sent` runs once the token request is on its way (a silent sign-in removes its iframe then).
 */
export async function completeSignIn(
  ctx: Ctx,
  transaction: TransactionText,
  validated: ValidatedResponse,
  renewing: StoredText | '' = '',
  sent?: () => void,
): Promise<StoredText> {
  const front = core.frontIdTokenExpect(ctx.config, transaction, validated);
  if (front) await verifiedClaims(ctx, front, ctx.env.now());
  const p = await provider(ctx);
  const exchange = core.codeExchangeRequest(ctx.config, p, transaction, validated);
  let answer: ReturnType<typeof core.processTokenResponse> | '' = '';
  if (exchange) {
    const response = sendBound(ctx, exchange, 'token endpoint');
    sent?.();
    answer = core.processTokenResponse(await response, exchange.dpop?.jkt ?? '');
    const back = core.backIdTokenExpect(ctx.config, transaction, answer);
    if (back) await verifiedClaims(ctx, back, ctx.env.now());
  }
  const stored = core.completeSignIn(ctx.config, transaction, validated, answer, renewing, ctx.env.now());
  if (renewing) {
    const superseded = tokens.superseded(ctx, renewing);
    if (superseded) return superseded;
  }
  tokens.store(ctx, stored);
  return stored;
}
