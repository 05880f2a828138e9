// Launches Debian's Chromium through playwright-core (never a downloaded browser build).
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `popupBlocking: true` keeps Chromium's popup blocker on (Playwright turns it off by
 * default): then only a window.open() inside a user gesture opens a window.
 */
export function launchChromium({ popupBlocking = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: popupBlocking ? ['--disable-popup-blocking'] : [],
  });
}
