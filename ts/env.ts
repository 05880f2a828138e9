// Everything the shell takes from the browser, in one object: the real one by default, fakes
// in the shell's tests. No other file reads a browser global.

/** The browser effects the shell uses. */
export interface Env {
  /** The page's window: location, history, storage, open(), message and focus events, timers. */
  window: Window;
  fetch: typeof fetch;
  /** Seconds since the epoch. */
  now(): number;
  /** `n` bytes from a cryptographically secure source. */
  random(n: number): Uint8Array;
  /** WebCrypto, or undefined outside a secure context. */
  subtle: SubtleCrypto | undefined;
  /** Web Locks, when the browser has them. */
  locks: LockManager | undefined;
  /** IndexedDB, where a DPoP key outlives the page (undefined where there is none). */
  indexedDB: IDBFactory | undefined;
}

/** The page's own browser. */
export function browserEnv(): Env {
  const w = globalThis as unknown as Window;
  return {
    window: w,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => Math.floor(Date.now() / 1000),
    random: (n) => globalThis.crypto.getRandomValues(new Uint8Array(n)),
    subtle: globalThis.crypto?.subtle,
    locks: (globalThis.navigator as Navigator | undefined)?.locks,
    indexedDB: globalThis.indexedDB,
  };
}

/** Whether this runs in a browser page (not Node, not a server render). */
export function inPage(): boolean {
  return typeof document !== 'undefined';
}
