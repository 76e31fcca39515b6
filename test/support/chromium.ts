/**
 * Headless Debian Chromium for the HTML report's browser test and its
 * screenshot (`npx projen browser:setup` installs /usr/bin/chromium).
 */
import { Browser, chromium } from 'playwright-core';

/** Where Debian's package `chromium` puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, and nothing a browser would fetch on its own (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Starts the browser; close it when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS], headless: true });
}
