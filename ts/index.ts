// The package: init (loads the wasm once), AuthClient, AuthError and the public types.
import { init, initFromBytes } from './core.js';

export { AuthClient } from './client.js';
export { AuthError } from './errors.js';
export type * from './types.js';

/**
 * Loads and instantiates the .wasm (next to this module unless `input` says otherwise).
 * Call it once before the first AuthClient; concurrent and repeated calls share one instance.
 */
export default function initialize(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void> {
  return init(input);
}

/** Synchronous initialisation from the .wasm's bytes or a compiled Module (Node, tests). */
export function initSync(module: BufferSource | WebAssembly.Module | { module: BufferSource | WebAssembly.Module }): void {
  initFromBytes(module instanceof WebAssembly.Module || ArrayBuffer.isView(module) || module instanceof ArrayBuffer ? module : module.module);
}
