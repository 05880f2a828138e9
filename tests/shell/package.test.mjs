// pkg-next/ as shipped (issue #14): one self-contained ES module and its .wasm, a core that
// imports nothing, exact types, and the size ratchet.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `${root}pkg-next`;
const TEST_TIMEOUT = 30_000;

describe('pkg-next/', () => {
  it('is one ES module that imports nothing and loads the .wasm next to itself', { timeout: TEST_TIMEOUT }, () => {
    const bundle = readFileSync(`${pkg}/index.js`, 'utf8');
    assert.doesNotMatch(bundle, /^import|[;}]import[\s{*"']/m);
    assert.match(bundle, /new URL\("okta_auth_wasm_bg\.wasm",import\.meta\.url\)/);
  });

  it('has a core that imports nothing and exports only its door', { timeout: TEST_TIMEOUT }, async () => {
    const module = await WebAssembly.compile(readFileSync(`${pkg}/okta_auth_wasm_bg.wasm`));
    assert.deepEqual(WebAssembly.Module.imports(module), []);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const name of ['memory', 'okta_buf', 'okta_call', 'okta_out']) assert.ok(names.includes(name), name);
  });

  it('declares AuthClient, its options and AuthError in its types', { timeout: TEST_TIMEOUT }, () => {
    const dts = readFileSync(`${pkg}/index.d.ts`, 'utf8') + readFileSync(`${pkg}/client.d.ts`, 'utf8') + readFileSync(`${pkg}/types.d.ts`, 'utf8');
    assert.match(dts, /export declare class AuthClient/);
    assert.match(dts, /constructor\(config: AuthConfig\)/);
    assert.match(dts, /export interface AuthConfig/);
    assert.match(dts, /export \{ AuthError \}/);
  });

  // The ratchet of issue #14: what a browser downloads (the .wasm and index.js, gzip -9). The
  // target is 35,000 B (aim 30,000); until it is met this is the size reached, lowered as it
  // falls, so the package cannot grow unnoticed.
  it('downloads no more than the size reached (wasm + JS, gzip -9)', { timeout: TEST_TIMEOUT }, () => {
    const report = JSON.parse(readFileSync(`${root}target/size-report-next.json`, 'utf8'));
    const budget = report.immediateAbort ? 81_000 : 93_000;
    const gz = (file) => execFileSync('gzip', ['-9', '-n', '-c', `${pkg}/${file}`]).length;
    const total = gz('okta_auth_wasm_bg.wasm') + gz('index.js');
    assert.equal(total, report.total.gzip, 'the size report describes this pkg-next/');
    assert.ok(total <= budget, `${total} B gzip is over the budget of ${budget} B`);
  });
});
