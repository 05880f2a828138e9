// The bundler layer (scripts/test.sh bundlers): the packed npm tarball of pkg/, installed as a
// registry install would lay it out into minimal apps (tests/bundlers/*/, examples/*/), each
// built, served, loaded in Chromium and signed in against the embedded provider.
// tests/bundlers/README.md describes a case (case.json) and what the runner does with it.
//
//   node scripts/bundlers.mjs [CASE...]     CASE: a case directory's name (vite8, react, ...)
//
// Prints a table (case, result, seconds) and a cargo-style `test result:` line; exits 1 if a
// case failed. Installs are cached: `npm ci` runs only when a case's lockfile changed.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startStaticServer } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = join(root, 'pkg');
const work = join(root, 'target', 'bundlers');
const logs = join(work, 'logs');
const shared = join(root, 'tests', 'bundlers', 'shared');

// Time limits (seconds, each overridable by the variable): far above the normal times, so
// that a stuck step fails its case with a message instead of stalling the layer.
const seconds = (name, fallback) => Number(process.env[name] || fallback) * 1000;
const INSTALL_TIMEOUT = seconds('BUNDLERS_INSTALL_TIMEOUT', 600); // npm ci of one case
const BUILD_TIMEOUT = seconds('BUNDLERS_BUILD_TIMEOUT', 300);
const SERVE_TIMEOUT = seconds('BUNDLERS_SERVE_TIMEOUT', 120); // until a dev server answers GET /
const PAGE_TIMEOUT = seconds('BUNDLERS_PAGE_TIMEOUT', 60); // each wait in the page
const VARIANT_TIMEOUT = seconds('BUNDLERS_VARIANT_TIMEOUT', 600); // a variant, all steps
const IDP_TIMEOUT = seconds('BUNDLERS_IDP_TIMEOUT', 30); // the provider's start (3 tries)
const CLIENT_ID = 'demo-spa';
const USER_NAME = 'Jane Doe';

const say = (text) => console.log(`bundlers: ${text}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sha256 = (...files) => {
  const h = createHash('sha256');
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex');
};
const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
// A log's first and last lines (npm says what failed first, then prints its usage).
const tail = (file) => {
  try {
    let lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    if (lines.length > 30) lines = [...lines.slice(0, 10), '...', ...lines.slice(-15)];
    return lines.map((l) => `    | ${l}`).join('\n');
  } catch {
    return '';
  }
};

// Every child runs in its own process group, killed as a group by its PID: when its step
// ends, and on SIGINT/SIGTERM (the layer's time limit) before this process exits.
const groups = new Set();
function killGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {}
}
async function stopGroup(child) {
  if (!groups.has(child)) return;
  killGroup(child, 'SIGTERM');
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once('exit', r));
  if (await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]) === false) killGroup(child, 'SIGKILL');
  // A grandchild that ignored SIGTERM (the leader exited, the group may not have).
  killGroup(child, 'SIGKILL');
  groups.delete(child);
}
let browser;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of groups) killGroup(child, 'SIGKILL');
    console.log(`bundlers: stopped by ${signal}`);
    browser?.close().catch(() => {});
    setTimeout(() => process.exit(1), 2000).unref();
  });
}

/** Starts `argv` in `cwd`, its output appended to `log`, in its own process group. */
function start(argv, { cwd, env, log }) {
  const fd = openSync(log, 'a');
  const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  groups.add(child);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (e) => resolve({ code: null, signal: null, error: e }));
  });
  return child;
}

/**
 * The embedded provider for `origin`, in its own process (scripts/bundlers-idp.mjs says why):
 * resolves to {org, custom, stop}. A start that gives no issuers within IDP_TIMEOUT is killed
 * and tried again, three times in all.
 */
async function startIdp(origin, log) {
  for (let attempt = 1; ; attempt++) {
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [join(root, 'scripts', 'bundlers-idp.mjs'), JSON.stringify([origin])], {
      cwd: root, detached: true, stdio: ['ignore', 'pipe', fd],
    });
    closeSync(fd);
    groups.add(child);
    let timer;
    const issuers = await new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
      });
      child.once('exit', (code, signal) => resolve({ exited: code ?? signal }));
      child.once('error', (e) => resolve({ exited: e.message }));
      timer = setTimeout(() => resolve({ late: true }), IDP_TIMEOUT);
    });
    clearTimeout(timer);
    if (issuers.org) return { ...issuers, stop: () => stopGroup(child) };
    await stopGroup(child);
    const why = issuers.late ? `gave no issuer within ${IDP_TIMEOUT / 1000} s` : `exited (${issuers.exited})`;
    if (attempt === 3) throw new Error(`the provider ${why}, three times (log: ${relative(root, log)})\n${tail(log)}`);
    writeFileSync(log, `bundlers: the provider ${why}; starting it again\n`, { flag: 'a' });
  }
}

/** Runs `argv` to its end within `ms`; throws, with the log's tail, if it fails or times out. */
async function run(what, argv, { cwd, env, log, ms }) {
  writeFileSync(log, `$ ${argv.join(' ')}   (in ${relative(root, cwd) || '.'})\n`, { flag: 'a' });
  const child = start(argv, { cwd, env, log });
  let timer;
  const late = new Promise((r) => { timer = setTimeout(() => r('timeout'), ms); });
  const result = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  await stopGroup(child);
  if (result === 'timeout') throw new Error(`${what}: no end within ${ms / 1000} s (log: ${relative(root, log)})\n${tail(log)}`);
  if (result.error) throw new Error(`${what}: ${result.error.message}`);
  if (result.code !== 0) {
    throw new Error(`${what}: exit ${result.code ?? result.signal} (log: ${relative(root, log)})\n${tail(log)}`);
  }
}

/**
 * A free loopback port below the kernel's ephemeral range. A port from `listen(0)` lies in
 * that range, and once released any outgoing connection (the provider's probe, npm, Chromium)
 * may take it as its local port before the app's server starts: seen once on a loaded machine
 * ("port 37041 is in use" for a port chosen 3 s before). Ports are tried in order from 21000.
 */
let nextPort = 21000;
async function freePort() {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the IANA dynamic range starts at 49152, above 32768
  }
  const end = Math.min(low, 32768);
  for (; nextPort < end; nextPort++) {
    const port = nextPort;
    try {
      await checkPortFree(port);
      nextPort++;
      return port;
    } catch {
      // taken: the next one
    }
  }
  // no room below the ephemeral range (an unusual kernel setting): ask the kernel
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Throws a one-line error if `port` is taken (a dev server would fail less clearly). */
function checkPortFree(port) {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', (e) => reject(new Error(e.code === 'EADDRINUSE' ? `port ${port} is in use: stop the process that holds it` : e.message)));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
  });
}

/** Waits until GET `url` gets any HTTP answer, the server process exits, or `ms` pass. */
async function waitForAnswer(url, child, log, ms) {
  const deadline = Date.now() + ms;
  let exited = null;
  child.exited.then((r) => { exited = r; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited (${exited.error?.message ?? exited.code ?? exited.signal}) before answering ${url} (log: ${relative(root, log)})\n${tail(log)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())), redirect: 'manual' });
      await res.arrayBuffer().catch(() => {});
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`the server did not answer ${url} within ${ms / 1000} s (log: ${relative(root, log)})\n${tail(log)}`);
}

/** The package as a user gets it: `npm pack` of pkg/, extracted (target/bundlers/package/). */
function packTarball() {
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error("pkg/ is not built: run 'make pkg'");
  mkdirSync(work, { recursive: true });
  for (const f of readdirSync(work)) if (f.endsWith('.tgz')) rmSync(join(work, f));
  const out = execFileSync('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', work], {
    cwd: pkgDir, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = join(work, JSON.parse(out)[0].filename);
  rmSync(join(work, 'package'), { recursive: true, force: true });
  execFileSync('tar', ['-xzf', tarball, '-C', work], { timeout: 60_000 });
  return { tarball, dir: join(work, 'package'), hash: sha256(tarball) };
}

/** Every case.json under tests/bundlers/*\/ and examples/*\/ (or only the named ones). */
function discover(only) {
  const cases = [];
  for (const parent of ['tests/bundlers', 'examples']) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (!existsSync(join(dir, 'case.json'))) continue;
      if (only.length && !only.includes(name)) continue;
      cases.push({ name, dir, rel: `${parent}/${name}` });
    }
  }
  const missing = only.filter((n) => !cases.some((c) => c.name === n));
  if (missing.length) throw new Error(`no case named ${missing.join(', ')} (tests/bundlers/*/case.json, examples/*/case.json)`);
  return cases;
}

/**
 * `npm ci` unless the stamp says node_modules matches this package-lock.json and
 * package.json; then the packed package in place of node_modules/okta-auth-wasm (a link
 * to pkg/ or nothing before), and the bundlers' caches cleared when the package changed.
 */
async function install(c, pkg, log) {
  const stamp = join(c.dir, 'node_modules', '.bundlers-install.sha256');
  const want = sha256(join(c.dir, 'package-lock.json'), join(c.dir, 'package.json'));
  writeFileSync(log, '');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() !== want) {
    say(`${c.rel}: npm ci`);
    await run(`npm ci in ${c.rel}`, ['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: c.dir, env: { ...process.env, CI: 'true' }, log, ms: INSTALL_TIMEOUT,
    });
    writeFileSync(stamp, `${want}\n`);
  }
  const target = join(c.dir, 'node_modules', 'okta-auth-wasm');
  const pkgStamp = join(c.dir, 'node_modules', '.bundlers-okta-auth-wasm.sha256');
  const fresh = existsSync(pkgStamp) && readFileSync(pkgStamp, 'utf8').trim() === pkg.hash && existsSync(join(target, 'package.json'));
  if (!fresh) {
    rmSync(target, { recursive: true, force: true });
    cpSync(pkg.dir, target, { recursive: true });
    // Caches keyed by the lockfile or the package's version, not its content.
    for (const cache of ['node_modules/.vite', 'node_modules/.cache', '.next/cache']) {
      rmSync(join(c.dir, cache), { recursive: true, force: true });
    }
    writeFileSync(pkgStamp, `${pkg.hash}\n`);
  }
}

/** The app's configuration for the cases that use tests/bundlers/shared/ (case.json "app"). */
function prepareApp(c, spec, issuer) {
  if (!spec.app) return;
  const dir = join(c.dir, spec.app);
  rmSync(dir, { recursive: true, force: true });
  cpSync(shared, dir, { recursive: true });
  writeFileSync(join(dir, 'config.js'), `// Written by scripts/bundlers.mjs for this run.\nexport const issuer = ${JSON.stringify(issuer)};\nexport const clientId = ${JSON.stringify(CLIENT_ID)};\n`);
}

/** Serves the variant at `port`: a folder (SPA fallback to index.html) or its own command. */
async function serve(c, variant, { port, env, log }) {
  const origin = `http://127.0.0.1:${port}`;
  if (variant.serve?.static) {
    const dir = join(c.dir, variant.serve.static);
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`${relative(root, dir)}/index.html does not exist after the build`);
    const server = await startStaticServer({ mounts: { '/': dir }, port, fallback: join(dir, 'index.html') });
    return () => server.close();
  }
  if (variant.serve?.command) {
    await checkPortFree(port);
    const argv = variant.serve.command.map((a) => a.replaceAll('{port}', String(port)));
    writeFileSync(log, `$ ${argv.join(' ')}   (in ${relative(root, c.dir)}, serving)\n`, { flag: 'a' });
    const child = start(argv, { cwd: c.dir, env, log });
    try {
      await waitForAnswer(`${origin}/`, child, log, SERVE_TIMEOUT);
    } catch (e) {
      await stopGroup(child);
      throw e;
    }
    return () => stopGroup(child);
  }
  throw new Error('case.json: a variant needs "serve": {"static": DIR} or {"command": [...]}');
}

/** The page contract: sign in (and the variant's extra checks), no uncaught or console error. */
async function signIn(origin, checks) {
  const context = await bounded('opening a browser context', browser.newContext());
  const errors = [];
  let report;
  const watch = (page) => {
    page.on('pageerror', (e) => report(`uncaught ${e.name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      if (/\/favicon\.ico$/.test(m.location()?.url ?? '')) return; // the browser's own request
      report(`console.error: ${m.text()}`);
    });
  };
  // The first page error ends the step it happens in, instead of that step's wait.
  let raise;
  const erred = new Promise((_, reject) => { raise = reject; });
  erred.catch(() => {});
  report = (line) => {
    errors.push(line);
    raise(new Error('the page logged an error'));
  };
  const page = await context.newPage();
  watch(page);
  page.setDefaultTimeout(PAGE_TIMEOUT);
  const step = async (what, fn) => {
    try {
      await Promise.race([fn(), erred]);
    } catch (e) {
      const shown = await page.locator('[data-test=error]').allTextContents().catch(() => []);
      const detail = [...errors, ...shown.map((t) => `[data-test=error]: ${t}`)];
      throw new Error(`${what}: ${e.message.split('\n')[0]}${detail.length ? `\n    ${detail.join('\n    ')}` : ''}`);
    }
  };
  const text = (selector, value) => page.locator(selector).filter({ hasText: value }).first().waitFor();
  try {
    if (checks.includes('protected')) {
      await step('GET /protected before sign-in', async () => {
        await page.goto(`${origin}/protected`);
        await page.locator('[data-test=sign-in]').first().waitFor();
        if (await page.locator('[data-test=user]').count()) throw new Error('[data-test=user] is shown before sign-in');
      });
    }
    await step('sign-in', async () => {
      await page.goto(`${origin}/`);
      await page.locator('[data-test=sign-in]').first().click();
      await text('[data-test=user]', USER_NAME);
    });
    if (checks.includes('api')) await step('api', () => text('[data-test=api]', USER_NAME));
    if (checks.includes('sign-out')) {
      await step('sign-out', async () => {
        await page.locator('[data-test=sign-out]').first().click();
        await page.locator('[data-test=sign-in]').first().waitFor();
      });
    }
    const unknown = checks.filter((c) => !['protected', 'api', 'sign-out', 'sign-in'].includes(c));
    if (unknown.length) throw new Error(`case.json: unknown checks ${unknown.join(', ')}`);
    if (errors.length) throw new Error(`the page logged errors:\n    ${errors.join('\n    ')}`);
  } finally {
    await bounded('closing the browser context', context.close()).catch(() => {});
  }
}

/** `promise`, or a rejection naming `what` after PAGE_TIMEOUT: no browser call waits forever. */
function bounded(what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PAGE_TIMEOUT / 1000} s`)), PAGE_TIMEOUT);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * One variant: a free port for the app, the provider for that origin, the build, the server,
 * the page. Bounded as a whole by VARIANT_TIMEOUT (the steps have their own, shorter limits);
 * a failure names the step it happened in.
 */
async function runVariant(c, spec, variant, pkg) {
  const log = join(logs, `${c.name}--${slug(variant.name)}.log`);
  writeFileSync(log, '');
  const state = { step: 'choosing a port', cleanup: [] };
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no end within ${VARIANT_TIMEOUT / 1000} s, stopped while ${state.step}`)), VARIANT_TIMEOUT);
  });
  try {
    await Promise.race([variantSteps(c, spec, variant, log, state), late]);
  } catch (e) {
    throw new Error(`${state.step}: ${e.message}`);
  } finally {
    clearTimeout(timer);
    for (const f of state.cleanup.reverse()) await f().catch(() => {});
  }
}

async function variantSteps(c, spec, variant, log, state) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  state.step = 'starting the provider';
  const idp = await startIdp(origin, log);
  state.cleanup.push(() => idp.stop());
  const issuer = idp.org;
  const env = {
    ...process.env,
    OKTA_ISSUER: issuer,
    OKTA_CLIENT_ID: CLIENT_ID,
    APP_ORIGIN: origin,
    VITE_OKTA_ISSUER: issuer,
    VITE_OKTA_CLIENT_ID: CLIENT_ID,
    NEXT_PUBLIC_OKTA_ISSUER: issuer,
    NEXT_PUBLIC_OKTA_CLIENT_ID: CLIENT_ID,
    NEXT_TELEMETRY_DISABLED: '1',
    CI: 'true',
    NO_COLOR: '1',
  };
  prepareApp(c, spec, issuer);
  if (variant.build) {
    state.step = `building (${variant.build.join(' ')})`;
    await run('the build', variant.build, { cwd: c.dir, env, log, ms: BUILD_TIMEOUT });
  }
  if (variant.test) {
    // A test runner's own run (no page): the variant passes when it exits 0.
    state.step = `testing (${variant.test.join(' ')})`;
    await run('the test run', variant.test, { cwd: c.dir, env, log, ms: BUILD_TIMEOUT });
    return;
  }
  state.step = `serving at ${origin}`;
  state.cleanup.push(await serve(c, variant, { port, env, log }));
  state.step = 'in the page';
  await signIn(origin, ['sign-in', ...(variant.checks ?? [])]);
}

async function main() {
  const started = Date.now();
  const cases = discover(process.argv.slice(2));
  mkdirSync(logs, { recursive: true });
  const pkg = packTarball();
  say(`package: ${relative(root, pkg.tarball)} (sha256 ${pkg.hash.slice(0, 12)})`);
  const rows = [];
  const failures = [];
  let installing = 0;
  for (const c of cases) {
    const caseStart = Date.now();
    let spec;
    try {
      spec = JSON.parse(readFileSync(join(c.dir, 'case.json'), 'utf8'));
      if (!Array.isArray(spec.variants) || !spec.variants.length) throw new Error('case.json: no "variants"');
      if (!existsSync(join(c.dir, 'package-lock.json'))) throw new Error('no package-lock.json');
      await install(c, pkg, join(logs, `${c.name}--install.log`));
    } catch (e) {
      const names = spec?.variants?.map((v) => v.name) ?? [c.rel];
      for (const name of names) rows.push({ name, rel: c.rel, ok: false, secs: (Date.now() - caseStart) / 1000 });
      failures.push(`${c.rel}: ${e.message}`);
      say(`${c.rel}: FAILED: ${e.message}`);
      continue;
    }
    installing += Date.now() - caseStart;
    say(`${c.rel}: installed (${((Date.now() - caseStart) / 1000).toFixed(1)} s)`);
    for (const variant of spec.variants) {
      const t = Date.now();
      browser ??= await launchChromium();
      let error;
      try {
        await runVariant(c, spec, variant, pkg);
      } catch (e) {
        error = e;
      }
      const secs = (Date.now() - t) / 1000;
      rows.push({ name: variant.name, rel: c.rel, ok: !error, secs });
      if (error) failures.push(`${variant.name} (${c.rel}): ${error.message}`);
      say(`${variant.name}: ${error ? 'FAILED' : 'ok'} (${secs.toFixed(1)} s)${error ? `\n  ${error.message}` : ''}`);
    }
  }
  await browser?.close().catch(() => {});
  for (const child of groups) killGroup(child, 'SIGKILL'); // left by a variant that timed out
  const passed = rows.filter((r) => r.ok).length;
  const width = Math.max(4, ...rows.map((r) => r.name.length));
  console.log(`\n${'case'.padEnd(width)}  result  seconds  directory`);
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${(r.ok ? 'ok' : 'FAILED').padEnd(6)}  ${r.secs.toFixed(1).padStart(7)}  ${r.rel}`);
  if (failures.length) console.log(`\nfailures (details above):\n${failures.map((f) => `  ${f.split('\n')[0]}`).join('\n')}`);
  console.log(`\nbundler layer: ${((Date.now() - started) / 1000).toFixed(1)} s (installs ${(installing / 1000).toFixed(1)} s)`);
  console.log(`test result: ${failures.length ? 'FAILED' : 'ok'}. ${passed} passed; ${rows.length - passed} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch(async (e) => {
  for (const child of groups) killGroup(child, 'SIGKILL');
  await browser?.close().catch(() => {});
  console.log(`bundlers: ${e.message}`);
  console.log('test result: FAILED. 0 passed; 1 failed');
  process.exit(1);
});
