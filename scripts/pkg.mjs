// Completes pkg/ after scripts/build-pkg.sh has built and optimised the core's .wasm
// into pkg/okta_auth_wasm_bg.wasm:
//   1. tsc -p ts/tsconfig.build.json: the declarations of the TypeScript shell (ts/), copied
//      to pkg/ with their relative layout; a type error fails the build;
//   2. esbuild: ts/index.ts and everything it imports as minified ES modules, each one
//      file with its .map: pkg/index.js with the .wasm inside (the default entry) and
//      pkg/slim.js, which loads the .wasm next to itself
//      (ts/core.ts: new URL('okta_auth_wasm_bg.wasm', import.meta.url));
//   3. package.json from pkg-template/ (the crate's version, `files` = what pkg/ holds),
//      README.md and LICENSE.
import { readFileSync, writeFileSync, copyFileSync, readdirSync, rmSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'pkg');
const ts = join(root, 'ts');
const template = join(root, 'pkg-template');
const dtsOut = join(root, 'target', 'dts');
const WASM = 'okta_auth_wasm_bg.wasm';

const fail = (message) => {
  console.error(`error: ${message}`);
  process.exit(1);
};
const find = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? find(path) : [path];
});

for (const file of [join(ts, 'index.ts'), join(out, WASM)]) {
  if (!existsSync(file)) fail(`${relative(root, file)} is missing: run scripts/build-pkg.sh, not this script alone`);
}

// 1. Declarations (and the type check of the shell: nothing is emitted on an error).
rmSync(dtsOut, { recursive: true, force: true });
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(ts, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  fail('tsc -p ts/tsconfig.build.json failed (type errors above): pkg/ not built');
}
if (!existsSync(join(dtsOut, 'index.d.ts'))) fail(`tsc emitted no ${relative(root, dtsOut)}/index.d.ts`);
const declarations = find(dtsOut).filter((p) => p.endsWith('.d.ts'));
for (const file of declarations) {
  const to = join(out, relative(dtsOut, file));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
}
const specifiers = (text) => [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\1/g)].map((m) => m[2]);
// Every relative import of every declaration must resolve inside pkg/.
for (const file of find(out).filter((p) => p.endsWith('.d.ts'))) {
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec).replace(/\.(m?js)$/, '');
    const candidates = [`${target}.d.ts`, `${target}.d.mts`, join(target, 'index.d.ts')];
    if (!candidates.some((c) => existsSync(c))) {
      fail(`${relative(root, file)} imports '${spec}', which has no declaration in pkg/`);
    }
  }
}

// 2. The bundles: one source (ts/index.ts), two entries. index.js carries the .wasm inside
//    as hex (OKTA_WASM_HEX, see ts/core.ts): no file to resolve, no init(), any bundler.
//    slim.js loads the .wasm next to itself in init() (streaming compilation). Hex, not
//    base64: gzip finds the binary's repeats in hex (byte-aligned), not in base64 (measured:
//    +10.0 KB gzip over the separate .wasm for hex, +23.8 KB for base64).
const wasmHex = readFileSync(join(out, WASM)).toString('hex');
const bundle = async (name, define) => {
  try {
    return await build({
      entryPoints: [join(ts, 'index.ts')],
      outfile: join(out, name),
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      sourcemap: 'linked',
      sourcesContent: true,
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
      define,
    });
  } catch {
    fail(`esbuild could not bundle ts/index.ts into ${name} (errors above): pkg/ not built`);
  }
};
for (const [name, result] of [
  ['index.js', await bundle('index.js', { OKTA_WASM_HEX: JSON.stringify(wasmHex) })],
  ['slim.js', await bundle('slim.js', { OKTA_WASM_HEX: 'undefined' })],
]) {
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => !i.path.startsWith('data:')));
  if (imports.length) fail(`pkg/${name} is not one self-contained module: it imports ${imports.map((i) => i.path).join(', ')}`);
}
const slim = readFileSync(join(out, 'slim.js'), 'utf8');
if (!/new URL\("okta_auth_wasm_bg\.wasm",import\.meta\.url\)/.test(slim)) fail(`pkg/slim.js does not load ${WASM} next to itself`);
if (slim.includes(wasmHex.slice(0, 64))) fail('pkg/slim.js carries the inlined .wasm');
const index = readFileSync(join(out, 'index.js'), 'utf8');
if (!index.includes(wasmHex)) fail('pkg/index.js does not carry the .wasm');
if (index.includes('import.meta')) fail('pkg/index.js uses import.meta (bundlers without it, e.g. an esbuild IIFE, would break)');
// The declarations of /slim are index's own.
writeFileSync(join(out, 'slim.d.ts'), "export * from './index.js';\nexport { default } from './index.js';\n");
writeFileSync(join(out, `${WASM}.d.ts`), `/**
 * The core's WebAssembly binary, for \`init()\` of okta-auth-wasm/slim. What importing it
 * gives depends on the bundler (Vite: its URL with \`?url\`); narrow it where you use it.
 */
declare const wasm: unknown;
export default wasm;
`);

// 3. Manifest, README, LICENSE.
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = cargo.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms)?.[1];
if (!version) fail('no [package] version in Cargo.toml');
for (const file of ['README.md', 'LICENSE']) copyFileSync(join(template, file), join(out, file));
const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
manifest.version = version;
manifest.files = find(out).map((p) => relative(out, p).split(sep).join('/')).filter((p) => p !== 'package.json').sort();
writeFileSync(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`pkg/: ${manifest.files.join(', ')}`);
