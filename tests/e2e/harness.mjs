// What the end-to-end suites share: for one suite, the embedded provider (dev-idp/), the app
// (the fixture page and the built pkg/) and Debian's Chromium, started before its tests and
// closed after them; and `call`, which runs a client method in the page.
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startDevIdp } from '../../dev-idp/server.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Each suite takes its own ports (the provider's org server on `orgPort`, its custom server
 * on `orgPort + 1`). `appHost` names the app in URLs: 'localhost' puts it on another site
 * than the provider (127.0.0.1). Returns an object whose `idp`, `app` and `browser` are set
 * once the suite starts.
 */
export function useHarness({ appPort, orgPort, appHost = '127.0.0.1', autoLogin = true }) {
  const h = { appOrigin: `http://${appHost}:${appPort}` };
  before(async () => {
    h.idp = await startDevIdp({ orgPort, customPort: orgPort + 1, appOrigins: [h.appOrigin], autoLogin });
    h.app = await startStaticServer({ mounts: { '/': `${root}tests/e2e/fixtures`, '/pkg/': `${root}pkg` }, port: appPort });
    h.browser = await launchChromium();
  });
  after(async () => {
    await h.browser?.close();
    h.app?.server.close();
    await h.idp?.close();
  });
  return h;
}

/** Runs `window.client[method](...args)` in the page: {ok: true, value} or {ok: false, code, message, isAuthError}. */
export function call(page, method, ...args) {
  return page.evaluate(async ([method, args]) => {
    try {
      return { ok: true, value: await window.client[method](...args) };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message, isAuthError: e instanceof window.lib.AuthError };
    }
  }, [method, args]);
}
