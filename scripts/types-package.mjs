// The types layer's package half (scripts/test.sh types): the packed package as an app
// installs it, checked with tsc --noEmit --strict, skipLibCheck false, lib ES2020 + DOM, once
// with moduleResolution bundler and once with nodenext, over
//   - every ```ts / ```tsx snippet of README.md and pkg-template/README.md (each a module);
//   - tests/types/app.ts: every public name, and the mistakes the types must refuse;
// then publint and arethetypeswrong (profile esm-only: the package is ESM only, by design)
// on the tarball. Prints a cargo-style result line: "passed" are the checks without an error.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'target', 'types-package');
const bin = (name) => join(root, 'node_modules', '.bin', name);
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'node_modules', 'okta-auth-wasm'), { recursive: true });

// The tarball, unpacked where an install puts it. @types/* and the rest resolve from the
// repository's node_modules (target/ is inside the repository).
const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', dir], { cwd: join(root, 'pkg'), encoding: 'utf8' }))[0].filename;
const tarball = join(dir, packed);
execFileSync('tar', ['-xzf', tarball, '--strip-components=1', '-C', join(dir, 'node_modules', 'okta-auth-wasm')]);
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-check', private: true, type: 'module' }) + '\n');

// The snippets, each in its own file, named after where it is.
const files = [];
for (const readme of ['README.md', 'pkg-template/README.md']) {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^```(ts|tsx)\s*$/);
    if (!open) continue;
    const start = i + 1;
    while (++i < lines.length && lines[i] !== '```');
    const name = `${readme.replace(/[/.]/g, '_')}_line${start}.${open[1]}`;
    writeFileSync(join(dir, name), `${lines.slice(start, i).join('\n')}\nexport {};\n`);
    files.push(name);
  }
}
if (!files.length) {
  console.error('error: no ```ts snippet found in the READMEs');
  process.exit(1);
}
for (const f of ['app.ts', 'env.d.ts']) copyFileSync(join(root, 'tests', 'types', f), join(dir, f));
files.push('app.ts');

let failed = 0;
let passed = 0;
const fail = (what, out) => {
  failed++;
  console.log(`FAILED: ${what}\n${out.trim()}\n`);
};
for (const resolution of ['bundler', 'nodenext']) {
  const tsconfig = `tsconfig.${resolution}.json`;
  writeFileSync(join(dir, tsconfig), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, skipLibCheck: false, target: 'ES2020', lib: ['ES2020', 'DOM'],
      module: resolution === 'bundler' ? 'ESNext' : 'NodeNext', moduleResolution: resolution,
      jsx: 'react-jsx', types: ['node'], noUnusedLocals: false,
    },
    files: [...files, 'env.d.ts'],
  }, null, 2));
  const r = spawnSync(bin('tsc'), ['--pretty', 'false', '-p', tsconfig], { cwd: dir, encoding: 'utf8' });
  const out = r.stdout + r.stderr;
  const bad = new Set([...out.matchAll(/^([^(\s]+)\(\d+,\d+\): error TS/gm)].map((m) => m[1]));
  for (const f of files) {
    if (bad.has(f)) fail(`tsc (${resolution}) ${f}`, out.split('\n').filter((l) => l.startsWith(f)).join('\n'));
    else passed++;
  }
  if (r.status !== 0 && !bad.size) fail(`tsc (${resolution})`, out);
  console.log(`tsc --strict, moduleResolution ${resolution}: ${files.length - bad.size}/${files.length} files clean`);
}

for (const [what, cmd, args] of [
  ['publint --strict', bin('publint'), ['run', join(dir, 'node_modules', 'okta-auth-wasm'), '--strict']],
  ['arethetypeswrong --profile esm-only', bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color']],
]) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  const out = (r.stdout + r.stderr).trim();
  if (r.status === 0) {
    passed++;
    console.log(`${what}: clean\n${out.split('\n').map((l) => `  ${l}`).join('\n')}`);
  } else fail(what, out);
}
console.log(`snippets checked: ${files.length - 1} (${relative(root, dir)}/README*_line*.ts*)`);
console.log(failed
  ? `test result: FAILED. ${passed} passed; ${failed} failed (package types: tsc, publint, attw)`
  : `test result: ok. ${passed} passed; 0 failed (package types: tsc, publint, attw)`);
process.exit(failed ? 1 : 0);
