// Completes pkg/ after wasm-bindgen and wasm-opt: package.json from pkg-template/ with the
// crate's version, the entry module (bundled) that also exports AuthError, its .d.ts,
// README, LICENSE.
import { readFileSync, writeFileSync, copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = join(root, 'pkg');
const template = join(root, 'pkg-template');

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = cargo.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms)?.[1];
if (!version) throw new Error('no [package] version in Cargo.toml');

const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
manifest.version = version;
writeFileSync(join(pkg, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const file of ['README.md', 'LICENSE']) copyFileSync(join(template, file), join(pkg, file));

// wasm-bindgen puts the crate's JS snippet under snippets/<crate>-<hash>/: find it.
const find = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? find(path) : [path];
});
const authError = find(join(pkg, 'snippets')).find((p) => p.endsWith('/js/auth-error.js'));
if (!authError) throw new Error('wasm-bindgen did not emit js/auth-error.js');
const authErrorPath = './' + relative(pkg, authError);

// The package entry: the wasm-bindgen module plus AuthError, from the very module the wasm
// throws instances of, so `err instanceof AuthError` holds. esbuild bundles it with the
// glue and its snippets into one minified index.js: one request instead of a chain of four
// modules, and a third of the glue's bytes. The glue's new URL('okta_auth_wasm_bg.wasm',
// import.meta.url) stays as it is, so the .wasm is found next to index.js.
const entry = join(pkg, 'entry.mjs');
writeFileSync(entry, `export * from './okta_auth_wasm.js';
export { default } from './okta_auth_wasm.js';
export { AuthError } from '${authErrorPath}';
`);
buildSync({
  entryPoints: [entry],
  outfile: join(pkg, 'index.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const generated of [entry, join(pkg, 'okta_auth_wasm.js'), join(pkg, 'snippets')]) rmSync(generated, { recursive: true });

writeFileSync(join(pkg, 'index.d.ts'), `export * from './okta_auth_wasm.js';
export { default } from './okta_auth_wasm.js';

/**
 * What every okta-auth-wasm call throws or rejects with.
 *
 * Branch on \`code\` (stable, listed in the README), never on \`message\`.
 */
export declare class AuthError extends Error {
  readonly name: 'AuthError';
  /** Stable machine-readable code: "invalid_config", "state_mismatch", "login_required", ... */
  readonly code: string;
  /** The explanation, without the code. For provider errors, includes its error_description. */
  readonly description: string;
  /** For errors the provider sent: its \`error\` (or Okta's \`errorCode\`), exactly as sent. */
  readonly oauthError?: string;
}
`);
