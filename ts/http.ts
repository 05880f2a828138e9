// fetch, bounded: every request to the provider is aborted after httpTimeoutMs.
import { core, type CoreRequest, type CoreResponse } from './core.js';
import type { Env } from './env.js';

/**
 * Sends a request the core built and hands back what the core needs of the answer. No
 * cookies (`credentials: 'omit'`), no cache. Fails with `network` (`context` names the
 * endpoint) or `timeout` after `ms`, the body included, and then aborts the request.
 */
export async function send(env: Env, request: CoreRequest, context: string, ms: number): Promise<CoreResponse> {
  const abort = new AbortController();
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    credentials: 'omit',
    cache: 'no-store',
    signal: abort.signal,
  };
  if (request.body !== undefined) init.body = request.body;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = env.window.setTimeout(() => {
      abort.abort();
      reject(core.error('request_timeout', context));
    }, ms);
  });
  const exchange = (async (): Promise<CoreResponse> => {
    let r: Response;
    let body: Uint8Array;
    try {
      r = await env.fetch(request.url, init);
      body = new Uint8Array(await r.arrayBuffer());
    } catch {
      throw core.error('network', context);
    }
    return {
      status: r.status,
      contentType: r.headers.get('content-type') ?? '',
      wwwAuthenticate: r.headers.get('www-authenticate') ?? '',
      dpopNonce: r.headers.get('dpop-nonce'),
      body,
    };
  })();
  try {
    return await Promise.race([exchange, late]);
  } finally {
    env.window.clearTimeout(timer);
  }
}

/** A GET that asks for JSON. */
export function getJson(env: Env, url: string, context: string, ms: number): Promise<CoreResponse> {
  return send(env, { method: 'GET', url, headers: [['Accept', 'application/json']] }, context, ms);
}
