// Layer 3: the popup and its messages in Chromium, against the embedded provider showing its
// login form (no auto-login), so the popup stays open while the test acts: forged
// postMessages, the user closing the popup, the popup blocker.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from '../../scripts/serve.mjs';
import { TEST_USER } from '../../dev-idp/server.mjs';
import { describe, useHarness, evaluate, closeBrowser, launchBrowser, HOOK_TIMEOUT, TEST_TIMEOUT } from './harness.mjs';

const h = useHarness({ autoLogin: false });

let evil, blockingBrowser;

before(async () => {
  // Another site's page, which the app embeds (an ad, a widget): it can post to its parent.
  const evilRoot = mkdtempSync(join(tmpdir(), 'okta-auth-wasm-evil-'));
  writeFileSync(join(evilRoot, 'index.html'), '<!doctype html><title>another origin</title>');
  evil = await startStaticServer({ mounts: { '/': evilRoot } });
  blockingBrowser = await launchBrowser({ popupBlocking: true });
}, { timeout: HOOK_TIMEOUT });

after(async () => {
  await closeBrowser(blockingBrowser);
  await evil?.close();
}, { timeout: HOOK_TIMEOUT });

async function appPage(b = h.browser) {
  const context = await b.newContext();
  const page = await context.newPage();
  await page.goto(`${h.appOrigin}/`);
  await evaluate(page, 'the library loading in the page', async (issuer) => {
    await window.libReady;
    window.client = new window.lib.AuthClient({
      issuer,
      clientId: 'demo-spa',
      redirectUri: `${location.origin}/`,
      scopes: ['openid', 'profile', 'email'],
    });
    // Settles window.outcome; window.pending resolves once it has.
    window.startPopup = () => {
      window.outcome = undefined;
      window.pending = window.client.signInWithPopup().then(
        (value) => (window.outcome = { ok: true, value }),
        (e) => (window.outcome = { ok: false, code: e.code, message: e.message }),
      );
    };
  }, h.idp.org.issuer);
  return page;
}

/** Starts a popup sign-in; resolves to the popup page, showing the provider's login form. */
async function openPopup(page) {
  const popupOpened = page.context().waitForEvent('page');
  await page.evaluate(() => window.startPopup());
  const popup = await popupOpened;
  await popup.waitForSelector('input[name="login"]', { timeout: 20000 });
  return popup;
}

/** Adds an iframe of `src` to the app page and returns its frame once loaded. */
async function embed(page, src) {
  await evaluate(page, `an iframe of ${src} loading`, (src) => new Promise((resolve, reject) => {
    const iframe = document.createElement('iframe');
    iframe.src = src;
    iframe.onload = resolve;
    iframe.onerror = reject;
    document.body.append(iframe);
  }), src);
  const frame = page.frames().find((f) => f.url() === src);
  assert.ok(frame, `the frame of ${src} is there`);
  return frame;
}

const stillPending = (page) => evaluate(page, 'a pause in the page', async () => {
  await new Promise((r) => setTimeout(r, 300));
  return window.outcome === undefined;
});

/** What window.pending (the popup sign-in started by window.startPopup) settled to. */
const outcomeOf = (page) => evaluate(page, 'the popup sign-in settling', () => window.pending.then(() => window.outcome));

describe('popup sign-in, the user at the provider login form', () => {
  it('ignores forged messages from another origin, another provider window and the app itself; the real answer signs in', { timeout: TEST_TIMEOUT }, async () => {
    const page = await appPage();
    const authorizations = [];
    const tokenRequests = [];
    page.context().on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/oauth2/v1/authorize') authorizations.push(url);
      if (url.pathname === '/oauth2/v1/token') tokenRequests.push(new URLSearchParams(r.postData() ?? ''));
    });
    const popup = await openPopup(page);
    const state = authorizations[0].searchParams.get('state');
    assert.ok(state);

    // The forgeries know the state (the worst case): only where a message comes from
    // tells them apart. Okta's flat okta_post_message shape, a success and an error.
    const forgeries = [
      { code: 'forged-code', state },
      { error: 'access_denied', error_description: 'forged <b>error</b>', state },
    ];
    const evilFrame = await embed(page, `${evil.url}/`);
    const providerFrame = await embed(page, `${h.idp.org.issuer}/.well-known/openid-configuration`);
    for (const frame of [evilFrame, providerFrame]) {
      await frame.evaluate(([forgeries, target]) => {
        for (const m of forgeries) window.parent.postMessage(m, target);
      }, [forgeries, h.appOrigin]);
    }
    await page.evaluate((forgeries) => {
      for (const m of forgeries) window.postMessage(m, '*');
    }, forgeries);
    assert.equal(await stillPending(page), true, 'no forged message settled the sign-in');

    await popup.fill('input[name="login"]', TEST_USER.login);
    await popup.fill('input[name="password"]', TEST_USER.password);
    await popup.click('button[type="submit"]');
    const outcome = await outcomeOf(page);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.value.idToken.claims.sub, TEST_USER.login);
    assert.equal(tokenRequests.length, 1);
    assert.notEqual(tokenRequests[0].get('code'), 'forged-code');
    await page.context().close();
  });

  it('gives popup_closed when the user closes the popup, and the client stays usable', { timeout: TEST_TIMEOUT }, async () => {
    const page = await appPage();
    const popup = await openPopup(page);
    await popup.close();
    const outcome = await outcomeOf(page);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.code, 'popup_closed', JSON.stringify(outcome));

    // A new sign-in is possible at once (no popup_in_progress left behind).
    const again = await openPopup(page);
    await again.fill('input[name="login"]', TEST_USER.login);
    await again.fill('input[name="password"]', TEST_USER.password);
    await again.click('button[type="submit"]');
    const second = await outcomeOf(page);
    assert.equal(second.ok, true, JSON.stringify(second));
    await page.context().close();
  });
});

describe('popup blocker on', () => {
  it('gives popup_blocked outside a user gesture, and opens the popup from a click', { timeout: TEST_TIMEOUT }, async () => {
    const page = await appPage(blockingBrowser);
    // Playwright evaluates with a user gesture; opening a window consumes that transient
    // activation, so the library's window.open() right after meets the blocker, as a call
    // from a timer or a fetch callback would.
    await page.evaluate(() => {
      window.open('about:blank').close();
      window.startPopup();
    });
    const outcome = await outcomeOf(page);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.code, 'popup_blocked', JSON.stringify(outcome));

    // The way an app must call it: synchronously inside the click handler.
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'sign-in';
      button.textContent = 'Sign in';
      button.addEventListener('click', () => window.startPopup());
      document.body.append(button);
    });
    const popupOpened = page.context().waitForEvent('page');
    await page.click('#sign-in');
    const popup = await popupOpened;
    await popup.waitForSelector('input[name="login"]', { timeout: 20000 });
    await popup.close();
    const closed = await outcomeOf(page);
    assert.equal(closed.code, 'popup_closed', JSON.stringify(closed));
    await page.context().close();
  });
});
