// Launches Debian's Firefox ESR through puppeteer-core over WebDriver BiDi (never a downloaded
// browser build), headless, in a fresh temporary profile, and wraps it in the small part of
// Playwright's API that the end-to-end suites use (tests/e2e/harness.mjs picks the engine), so
// that one suite runs unchanged in Chromium and in Firefox.
import puppeteer from 'puppeteer-core';

/**
 * puppeteer's profile turns off what a test harness finds inconvenient; this puts back
 * Firefox's own default cookie policy, which decides what the silent iframe sees: puppeteer
 * lists `cookieBehavior0` (accept every cookie) as the "standard" blocking level, Firefox has
 * Total Cookie Protection (cookieBehavior 5: a cross-site iframe gets a cookie jar and storage
 * of its own, keyed by the top-level site). Measured with Firefox 153 here, the two profiles
 * give the same result (127.0.0.1:A embedding 127.0.0.1:B shares B's cookies and storage, a
 * site ignores the port; localhost:A embedding 127.0.0.1:B sees neither, not even a
 * SameSite=None cookie), so this only keeps the suites on the default whatever puppeteer's
 * profile becomes.
 */
const FIREFOX_DEFAULTS = {
  'browser.contentblocking.features.standard': '-tp,tpPrivate,cookieBehavior5,cookieBehaviorPBM5,-cryptoTP,-fp',
  'network.cookie.cookieBehavior': 5,
};

const within = (ms, what, promise) => {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
};

/**
 * `popupBlocking: true` keeps Firefox's popup blocker on (puppeteer turns it off, as
 * Playwright does in Chromium): then only a window.open() inside a user gesture opens a window.
 */
export async function launchFirefox({ popupBlocking = false } = {}) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    // Below the harness's 60 s hook limit, so that a browser that does not start says so.
    timeout: 45_000,
    protocolTimeout: 60_000,
    extraPrefsFirefox: { ...FIREFOX_DEFAULTS, 'dom.disable_open_during_load': popupBlocking },
  });
  return new Browser(browser);
}

class Browser {
  constructor(browser) {
    this.browser = browser;
  }

  async newContext() {
    return new Context(this.browser, await this.browser.createBrowserContext());
  }

  /**
   * Closes the browser (puppeteer then deletes the temporary profile); if it has not exited
   * 10 s later, kills its process group (puppeteer starts it detached) by its PID.
   */
  async close() {
    const child = this.browser.process();
    await within(10_000, 'closing Firefox', this.browser.close()).catch(() => {});
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
  }
}

/**
 * A user context (a separate cookie jar and storage), like Playwright's BrowserContext. Its
 * 'request' events come from the raw BiDi events, in the order the browser sends them:
 * puppeteer's per-page events would miss a popup's first request, sent before a listener
 * could be added to the new page.
 */
class Context {
  constructor(browser, context) {
    this.context = context;
    this.connection = browser.connection;
    this.browsingContexts = new Set();
    this.listeners = [];
    this.pending = new Set();
    this.raw = {
      'browsingContext.contextCreated': (info) => {
        if (info.userContext === context.id) this.browsingContexts.add(info.context);
      },
      'network.beforeRequestSent': (event) => this.request(event),
    };
    for (const [name, fn] of Object.entries(this.raw)) this.connection.on(name, fn);
  }

  /** Emits a request, with its body (fetched over BiDi) when it has one. */
  request({ context, request, redirectCount }) {
    if (!this.browsingContexts.has(context) || !this.listeners.length) return;
    const emit = (body) => {
      const r = { url: () => request.url, method: () => request.method, postData: () => body };
      for (const fn of this.listeners) fn(r);
    };
    if (!request.bodySize || redirectCount) return emit(null);
    const read = this.connection.send('network.getData', { dataType: 'request', request: request.request })
      .then(({ result }) => emit(result.bytes.type === 'base64' ? Buffer.from(result.bytes.value, 'base64').toString() : result.bytes.value))
      .catch((e) => emit(`(the body could not be read: ${e.message})`))
      .finally(() => this.pending.delete(read));
    this.pending.add(read);
  }

  /** Resolves once the requests seen so far are emitted (bodies read). */
  settled() {
    return Promise.all([...this.pending]);
  }

  on(name, fn) {
    if (name !== 'request') throw new Error(`Context.on('${name}') is not implemented for Firefox`);
    this.listeners.push(fn);
  }

  async newPage() {
    return new Page(this, await this.context.newPage());
  }

  /** waitForEvent('page'): the next page (a popup) opened in this context. */
  waitForEvent(name, { timeout = 30_000 } = {}) {
    if (name !== 'page') throw new Error(`Context.waitForEvent('${name}') is not implemented for Firefox`);
    let listener;
    return within(timeout, 'a new page', new Promise((resolve) => {
      listener = (target) => {
        if (target.type() === 'page') target.page().then((page) => resolve(new Page(this, page)));
      };
      this.context.on('targetcreated', listener);
    })).finally(() => this.context.off('targetcreated', listener));
  }

  async close() {
    for (const [name, fn] of Object.entries(this.raw)) this.connection.off(name, fn);
    await this.context.close();
  }
}

/** A page (tab or popup), with the Playwright methods the suites call. */
class Page {
  constructor(context, page) {
    this.ctx = context;
    this.page = page;
    page.setDefaultTimeout(30_000);
  }

  context() { return this.ctx; }
  url() { return this.page.url(); }
  frames() { return this.page.frames(); }
  goto(url) { return this.page.goto(url, { waitUntil: 'load' }); }
  waitForSelector(selector, options) { return this.page.waitForSelector(selector, options); }
  fill(selector, value) { return this.page.locator(selector).fill(value); }
  click(selector) { return this.page.click(selector); }
  close() { return this.page.close(); }

  /** Also waits until the requests the page made meanwhile reached the 'request' listeners. */
  async evaluate(fn, arg) {
    const value = await this.page.evaluate(fn, arg);
    await this.ctx.settled();
    return value;
  }

  async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
    await this.page.waitForFunction(fn, { timeout }, arg);
    await this.ctx.settled();
  }

  /** Resolves when a document whose URL matches `pattern` has loaded (the next such load). */
  waitForURL(pattern, { timeout = 30_000 } = {}) {
    let listener;
    return within(timeout, `a page at ${pattern}`, new Promise((resolve) => {
      listener = () => {
        if (pattern.test(this.page.url())) resolve();
      };
      this.page.on('load', listener);
    })).finally(() => this.page.off('load', listener));
  }
}
