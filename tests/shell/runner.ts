// Layer 2's runner, inside the test page: test files register their tests here; the node
// driver (run.test.mjs) lists them, then runs each in a fresh page load.
type Fn = () => Promise<void> | void;
const tests = new Map<string, Fn>();

/** Registers a test. Names state the behaviour, and are unique. */
export function test(name: string, fn: Fn): void {
  if (tests.has(name)) throw new Error(`two tests named ${name}`);
  tests.set(name, fn);
}

declare global {
  interface Window {
    shellTests: { list(): string[]; run(name: string): Promise<{ ok: true } | { ok: false; error: string }> };
  }
}

window.shellTests = {
  list: () => [...tests.keys()],
  async run(name) {
    const fn = tests.get(name);
    if (!fn) return { ok: false, error: `no test named ${name}` };
    try {
      await fn();
      return { ok: true };
    } catch (e) {
      const err = e as { stack?: string; code?: string; message?: string };
      return { ok: false, error: `${err.code ? `[${err.code}] ` : ''}${err.stack ?? err.message ?? String(e)}` };
    }
  },
};
