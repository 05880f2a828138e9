// Assertions for layer 2: each failure says what was expected and what came.
export function ok(value: unknown, what = 'expected a truthy value'): asserts value {
  if (!value) throw new Error(what);
}

export function equal<T>(actual: T, expected: T, what = ''): void {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what ? what + ': ' : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, what = ''): void {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what ? what + ': ' : ''}expected ${b}, got ${a}`);
}

export function match(actual: string, pattern: RegExp, what = ''): void {
  if (!pattern.test(actual)) throw new Error(`${what ? what + ': ' : ''}${JSON.stringify(actual)} does not match ${pattern}`);
}

/** The AuthError `promise` rejects with; fails unless its code is `code`. */
export async function rejects(promise: Promise<unknown>, code: string, what = ''): Promise<{ code: string; message: string; oauthError?: string }> {
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    const err = e as { code?: string; message?: string; name?: string };
    if (err.code !== code) throw new Error(`${what ? what + ': ' : ''}expected an AuthError ${code}, got ${err.name} ${err.code}: ${err.message}`);
    return e as { code: string; message: string };
  }
  throw new Error(`${what ? what + ': ' : ''}expected an AuthError ${code}, but it resolved to ${JSON.stringify(value)}`);
}

/** The AuthError `f` throws; fails unless its code is `code`. */
export function throws(f: () => unknown, code: string, what = ''): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    const err = e as { code?: string; message?: string; name?: string };
    if (err.code !== code) throw new Error(`${what ? what + ': ' : ''}expected an AuthError ${code}, got ${err.name} ${err.code}: ${err.message}`);
    return e as { code: string; message: string };
  }
  throw new Error(`${what ? what + ': ' : ''}expected an AuthError ${code}, but nothing was thrown`);
}
