// The package. One source, two entries (scripts/pkg.mjs): `okta-auth-wasm` (index.js) carries
// the .wasm inside and starts it on first use; `okta-auth-wasm/slim` (slim.js) loads the
// .wasm file next to itself and needs `await init()` first.
import { init, initFromBytes } from './core.js';

export { AuthClient } from './client.js';
export { AuthError } from './errors.js';
export type * from './types.js';

/**
 * Loads and instantiates the wasm core; any number of concurrent or repeated calls share one
 * instance.
 *
 * - `okta-auth-wasm`: optional. The core starts by itself on first use; `await init()` only
 *   compiles it ahead of time, off the main thread.
 * - `okta-auth-wasm/slim`: required once before the first `AuthClient`. Without `input` it
 *   fetches `okta_auth_wasm_bg.wasm` next to the module (streaming compilation); or pass its
 *   URL, a `Response`, its bytes or a compiled `WebAssembly.Module`.
 */
export default function initialize(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void> {
  return init(input);
}

/**
 * Synchronous initialisation from the .wasm's bytes or a compiled Module: for `/slim`
 * outside a browser (Node, tests) or where a bundler hands you the bytes.
 */
export function initSync(module: BufferSource | WebAssembly.Module | { module: BufferSource | WebAssembly.Module }): void {
  initFromBytes(module instanceof WebAssembly.Module || ArrayBuffer.isView(module) || module instanceof ArrayBuffer ? module : module.module);
}
