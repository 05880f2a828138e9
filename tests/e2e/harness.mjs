// What the end-to-end suites share: for one suite, the embedded provider (dev-idp/), the app
// (the fixture page and the built pkg/) and the browser (Debian's Chromium, or Firefox ESR when
// E2E_BROWSER=firefox: see tests/e2e/firefox/), started before its tests and
// closed after them, every one on a free port (a `make demo` left running breaks nothing);
// `call`, which runs a client method in the page; and the time limits that keep a stuck
// browser, provider or page from hanging `make test`.
import { before, after, describe as nodeDescribe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { launchFirefox } from '../../scripts/firefox.mjs';
import { startDevIdp } from '../../dev-idp/server.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The built package the suites load at /pkg/, and its size report (scripts/build-pkg.sh). */
export const pkgDir = `${root}pkg`;
export const sizeReport = `${root}target/size-report.json`;

/**
 * Time limits. Each test's own (`it(name, { timeout: TEST_TIMEOUT }, fn)`: a describe's
 * timeout would bound its whole suite, not each test) is the outer bound; the waits inside
 * it have shorter ones that name what they waited for.
 */
export const TEST_TIMEOUT = 120_000;
export const HOOK_TIMEOUT = 60_000;
/** A library call in the page (a sign-in, a renewal): seconds when all is well. */
export const CALL_TIMEOUT = 30_000;

/**
 * Resolves or rejects as `promise` does, or rejects after `ms` with an Error that names
 * `what` was awaited.
 */
export function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The engine of this test process: 'chromium' (Playwright) or 'firefox' (puppeteer-core over
 * WebDriver BiDi, wrapped by scripts/firefox.mjs in the part of Playwright's API the suites use).
 */
export const ENGINE = process.env.E2E_BROWSER || 'chromium';
if (!['chromium', 'firefox'].includes(ENGINE)) throw new Error(`E2E_BROWSER=${ENGINE}: chromium or firefox`);

/** Launches the engine's browser; `popupBlocking: true` keeps its popup blocker on. */
export function launchBrowser(options) {
  return ENGINE === 'firefox' ? launchFirefox(options) : launchChromium(options);
}

/** `describe`, its name marked with the engine outside Chromium. */
export function describe(name, ...rest) {
  return nodeDescribe(ENGINE === 'chromium' ? name : `${name} [Firefox ESR]`, ...rest);
}

/**
 * Closes a browser, giving up after 10 s (Playwright then kills Chromium with this process;
 * scripts/firefox.mjs kills Firefox's process group by its PID).
 */
export function closeBrowser(browser) {
  return browser ? within(10_000, `closing ${ENGINE}`, browser.close()).catch(() => {}) : undefined;
}

/**
 * One suite's app, provider and browser. `appHost` names the app in URLs: 'localhost' puts
 * it on another site than the provider (127.0.0.1). Returns an object whose `appOrigin`,
 * `idp`, `app` and `browser` are set once the suite starts.
 */
export function useHarness({ appHost = '127.0.0.1', autoLogin = true } = {}) {
  const h = {};
  before(async () => {
    h.app = await startStaticServer({ mounts: { '/': `${root}tests/e2e/fixtures`, '/pkg/': pkgDir } });
    h.appOrigin = `http://${appHost}:${new URL(h.app.url).port}`;
    h.idp = await startDevIdp({ orgPort: 0, customPort: 0, appOrigins: [h.appOrigin], autoLogin });
    // Playwright's own waits (selectors, navigations, events) stop at its 30 s default;
    // page.evaluate has no limit of its own: see `call` and `evaluate`.
    h.browser = await launchBrowser();
  }, { timeout: HOOK_TIMEOUT });
  after(async () => {
    await closeBrowser(h.browser);
    await h.app?.close();
    await h.idp?.close();
  }, { timeout: HOOK_TIMEOUT });
  return h;
}

/**
 * Runs `window.client[method](...args)` in the page: {ok: true, value} or {ok: false, code,
 * message, isAuthError}. Rejects, naming the method, when the page gives no answer within
 * CALL_TIMEOUT.
 */
export function call(page, method, ...args) {
  return within(CALL_TIMEOUT, `client.${method}() in the page`, page.evaluate(async ([method, args]) => {
    try {
      return { ok: true, value: await window.client[method](...args) };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message, isAuthError: e instanceof window.lib.AuthError };
    }
  }, [method, args]));
}

/** `page.evaluate(fn, arg)`, rejecting after `ms` with an Error that names `what`. */
export function evaluate(page, what, fn, arg, ms = CALL_TIMEOUT) {
  return within(ms, what, page.evaluate(fn, arg));
}

/**
 * Wraps the page's `fetch` so that the test, not the clock, decides what happens while a
 * refresh is under way: `window.refreshes` counts the refresh-token grants sent; after
 * `window.holdRefreshes()` they wait (`window.heldRefreshes` counts those) until
 * `window.releaseRefreshes()`.
 */
export function gateRefreshes(page) {
  return evaluate(page, 'the refresh gate in the page', () => {
    window.refreshes = 0;
    window.heldRefreshes = 0;
    let gate = null;
    window.holdRefreshes = () => {
      let release;
      gate = new Promise((r) => { release = r; });
      window.releaseRefreshes = () => { gate = null; release(); };
    };
    const realFetch = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && new URLSearchParams(await request.clone().text()).get('grant_type') === 'refresh_token') {
        window.refreshes += 1;
        if (gate) {
          window.heldRefreshes += 1;
          await gate;
        }
      }
      return realFetch(request);
    };
  });
}
