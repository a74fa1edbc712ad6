// Debian's Chromium (`/usr/bin/chromium`) driven by playwright-core, for the dashboard's end-to-end tests.
// Rule: nothing downloads a browser; a machine without the package fails the test with the reason (CI installs it).

import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium); .ci/run does`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // as root Chromium refuses its own sandbox; the tests' pages are the daemon's own
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
    timeout: 60_000,
  });
}
