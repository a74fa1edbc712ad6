// The dashboard in a real headless Chromium (issue 20): open the printed address, see the session and a project's
// variables, watch `devsecrets run` change the served count and the audit tail without a reload, rotate and extend
// with the keyboard, log out and see the page say the session ended; axe-core finds no serious violation, the CSP
// refuses nothing the page needs, and no byte the page received holds a served value.
// Rule: Debian's chromium through playwright-core (test/helpers/chromium.ts); the screenshot goes to dist/test-artifacts/.

import test from "ava";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { launchChromium } from "../helpers/chromium.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { REPO_ROOT, cli, makeWorld } from "../helpers/sandbox-env.js";

const PROJECT = {
  "devsecrets.env": [
    "STRIPE_SECRET_KEY=sandbox://stripe/secret-key",
    "AWS_ACCESS_KEY_ID=sandbox://aws/access-key#id",
    "AWS_SECRET_ACCESS_KEY=sandbox://aws/access-key#secret",
    "GITHUB_TOKEN=sandbox://github/pat",
    "APP_NAME=shop",
    "",
  ].join("\n"),
};

/** the page's document, as the functions passed to page.evaluate see it (they run in the browser) */
interface PageElement {
  id: string;
  textContent: string | null;
  matches(selector: string): boolean;
}
declare const document: {
  activeElement: PageElement | null;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
};

const ARTIFACTS = join(REPO_ROOT, "dist", "test-artifacts");

/** the text as rendered (cells apart), Playwright's innerText: what a reader of the page sees */
function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM's
  return locator.innerText();
}

/** presses Tab until the element matching `selector` has focus (keyboard only, as a user without a mouse) */
async function tabTo(page: Page, selector: string, most = 120): Promise<void> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** the confirmation dialog opens on Enter; its Confirm button has focus, so Enter again runs the action */
async function confirmWithEnter(page: Page): Promise<void> {
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#confirm[open]");
  await page.waitForFunction(() => document.activeElement?.id === "confirm-ok");
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog#confirm", { state: "detached" });
}

test("the dashboard in Chromium: live counts and audit, rotate, extend and log out by keyboard, no value received", async (t) => {
  t.timeout(240_000);
  const world = makeWorld();
  const browser = await launchChromium();
  try {
    const project = world.project(PROJECT, "shop");
    t.is((await cli(world, ["login", "--store", "memory", "--ttl", "2h"])).code, 0);
    const envJson = async () => {
      const out = await cli(world, ["env", "--format", "json"], { cwd: project });
      if (out.code !== 0) throw new Error(out.stderr);
      return JSON.parse(out.stdout) as Record<string, string>;
    };
    const served = [await envJson()];
    const opened = await cli(world, ["ui", "--no-open", "--json"]);
    t.is(opened.code, 0, opened.stderr);
    const { url } = JSON.parse(opened.stdout) as { url: string };

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    // every byte the page receives: each answer's head and body, and each server-sent message
    const received: string[] = [];
    page.on("response", async (response) => {
      received.push(JSON.stringify(await response.allHeaders()));
      if ((response.headers()["content-type"] ?? "").startsWith("text/event-stream")) return;
      received.push(await response.text().catch(() => ""));
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    cdp.on("Network.eventSourceMessageReceived", (message) => received.push(message.eventName, message.data));
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });

    await page.goto(url);
    t.is(new URL(page.url()).search, "", "the token left the address bar");
    await page.waitForSelector("#panel-session dd");
    t.regex(await shown(page.locator("#panel-session")), /dev, memory store/);
    await page.waitForSelector("#state.ok");
    const row = (name: string) => page.locator(`tr[data-variable="${name}"]`);
    t.regex(await shown(row("STRIPE_SECRET_KEY")), /sandbox\s+stripe\/secret-key\s+devsecrets\.env:1\s+1\b/);
    t.regex(await shown(row("APP_NAME")), /literal/);
    const lastSeq = async () => Number(await page.locator("#panel-audit tbody tr").first().getAttribute("data-seq"));
    const seqBefore = await lastSeq();

    // a run in the test: the count and the audit tail change without a reload
    const run = await cli(world, ["run", "--", "node", "-e", "process.exit(process.env.STRIPE_SECRET_KEY ? 0 : 3)"], {
      cwd: project,
    });
    t.is(run.code, 0, run.stderr);
    await page.waitForFunction(
      () => document.querySelector('tr[data-variable="STRIPE_SECRET_KEY"] td[data-served]')?.textContent === "2",
      undefined,
      { timeout: 15_000 },
    );
    t.true((await lastSeq()) > seqBefore, "new audit entries appeared");
    t.regex(await shown(page.locator("#panel-audit")), /serve\s+STRIPE_SECRET_KEY/);
    t.regex(await shown(page.locator("#audit-verdict")), /audit verify: ok/);

    // rotate with Tab and Enter; the event appears, and the next resolve serves a new pair
    await tabTo(page, 'button[aria-label="Rotate AWS_ACCESS_KEY_ID"]');
    await confirmWithEnter(page);
    await page.waitForSelector('li[data-event="rotate"]', { timeout: 15_000 });
    t.regex(await shown(page.locator('li[data-event="rotate"]')), /AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY rotated/);
    // the audit tail shows the rotation as the dashboard's action
    await page.waitForFunction(
      () =>
        /rotate\s*AWS_ACCESS_KEY_ID\s*ok\s*devsecrets dashboard/.test(
          document.getElementById("panel-audit")?.textContent ?? "",
        ),
      undefined,
      { timeout: 15_000 },
    );
    served.push(await envJson());
    t.not(served[1]?.AWS_ACCESS_KEY_ID, served[0]?.AWS_ACCESS_KEY_ID);

    // a failing resolve: the project appears with its code and hint, and the event is listed
    const broken = world.project({ "devsecrets.env": "BAD=sandbox://no-such-kind/x\n" }, "broken");
    t.not((await cli(world, ["env"], { cwd: broken })).code, 0);
    await page.waitForSelector('li[data-event="resolve-failed"]', { timeout: 15_000 });
    await page.waitForFunction(
      () => /last resolve failed .*DS_SANDBOX_KIND/.test(document.getElementById("panel-projects")?.textContent ?? ""),
      undefined,
      { timeout: 15_000 },
    );

    // extend with Tab and Enter
    await tabTo(page, "#action-extend");
    await confirmWithEnter(page);
    await page.waitForFunction(() => document.getElementById("state")?.textContent === "Extend: done");

    // trust with Tab and Enter: the dialog shows the listing, Enter posts its digest
    await tabTo(page, `button[aria-label="Trust ${project}"]`);
    await confirmWithEnter(page);
    await page.waitForFunction(() => document.getElementById("state")?.textContent === "Trust: done");

    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const violations = (await page.evaluate(
      `${axeSource}; axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))`,
    )) as {
      id: string;
      impact: string;
    }[];
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    t.deepEqual(serious, [], JSON.stringify(violations));

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(ARTIFACTS, "dashboard-dark.png"), fullPage: true });
    const darkViolations = (await page.evaluate(
      "axe.run(document).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id))",
    )) as string[];
    t.deepEqual(darkViolations, [], "dark scheme");

    // log out with Tab and Enter: the page says the session ended
    await tabTo(page, "#action-logout");
    await confirmWithEnter(page);
    await page.waitForFunction(() =>
      /The session ended \(logout\)/.test(document.getElementById("state")?.textContent ?? ""),
    );
    t.true(await page.locator("#action-logout").isDisabled());
    t.deepEqual(refused, [], "the CSP refused something the page tried");

    const all = received.join("\n");
    t.true(all.length > 5_000, `the page received ${all.length} characters`);
    let checked = 0;
    for (const values of served) {
      for (const [name, value] of Object.entries(values)) {
        if (name === "APP_NAME") continue; // a literal from the committed file, not a served secret
        checked++;
        t.false(all.includes(value), `${name}'s value reached the page`);
      }
    }
    t.is(checked, 8);
    await context.close();
  } finally {
    await browser.close();
    await disposeWorld(world);
  }
});
