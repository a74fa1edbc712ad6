// The dashboard's script: loads the snapshot, follows the daemon's event stream (server-sent events; the page never
// polls), renders the panels, and runs the actions after a confirmation.
// Rule: text only into the DOM (dom.ts); keyboard focus survives a re-render; after the `wipe` event nothing is asked.

import type { UiProject, UiSnapshot } from "../../protocol/ui-snapshot.js";
import type { AuditEventEntry } from "../../protocol/events.js";
import { ActionFailed, fetchSnapshot, fetchTrust, postAction } from "./api.js";
import { confirmAction } from "./confirm.js";
import { byId, h } from "./dom.js";
import { countdown } from "./format.js";
import { PANELS, type PanelContext } from "./panels.js";

let snapshot: UiSnapshot | null = null;
let ended: string | null = null;
const events: PanelContext["events"] = [];
let refreshTimer: number | undefined;

function say(text: string, kind: "ok" | "bad" | "info" = "info"): void {
  const state = byId("state");
  state.textContent = text;
  state.className = kind;
}

function failed(error: unknown): void {
  if (error instanceof ActionFailed) say(`${error.body.code}: ${error.body.message}. ${error.body.hint}`, "bad");
  else say(`the daemon did not answer (${String(error)})`, "bad");
}

async function act(name: string, body: Record<string, unknown>, title: string, details: string[], label: string) {
  if (ended || !(await confirmAction(title, details, label))) return;
  try {
    await postAction(name, body);
    say(`${label}: done`, "ok");
    if (name !== "logout") scheduleRefresh(0);
  } catch (error) {
    failed(error);
  }
}

async function trust(project: UiProject): Promise<void> {
  try {
    const listing = await fetchTrust(project.root);
    const items = listing.items.map((item) => `${item.file}:${item.line}  ${item.kind}  ${item.text}`);
    await act(
      "trust",
      { root: listing.root, digest: listing.digest },
      `Trust ${listing.root}?`,
      [
        listing.trusted ? "It is trusted now; trusting again records the files as they are." : "Trusting lets it use:",
        ...items,
      ],
      "Trust",
    );
  } catch (error) {
    failed(error);
  }
}

function untrust(project: UiProject): void {
  void act(
    "untrust",
    { root: project.root },
    `Revoke trust for ${project.root}?`,
    ["Its credential references answer DS_PROJECT_UNTRUSTED until it is trusted again."],
    "Revoke",
  );
}

function context(): PanelContext {
  return {
    now: Date.now(),
    ended: ended !== null,
    act: (...args) => void act(...args),
    trust: (project) => void trust(project),
    untrust,
    events,
  };
}

/** what has focus, so that a re-render can give it back (keyboard users keep their place) */
function focusKey(): string | null {
  const active = document.activeElement as HTMLElement | null;
  if (!active || active === document.body) return null;
  return active.id ? `#${active.id}` : active.getAttribute("aria-label");
}

function restoreFocus(key: string | null): void {
  if (!key) return;
  const target = key.startsWith("#")
    ? document.getElementById(key.slice(1))
    : document.querySelector<HTMLElement>(`[aria-label="${CSS.escape(key)}"]`);
  target?.focus();
}

function render(): void {
  if (!snapshot) return;
  const key = focusKey();
  const ctx = context();
  const app = byId("app");
  app.replaceChildren(
    ...PANELS.map((panel) =>
      h(
        "section",
        { id: `panel-${panel.id}`, class: "panel", "aria-labelledby": `title-${panel.id}` },
        h("h2", { id: `title-${panel.id}` }, panel.title),
        panel.render(snapshot as UiSnapshot, ctx),
      ),
    ),
  );
  const logout = byId<HTMLButtonElement>("action-logout");
  logout.disabled = ended !== null;
  restoreFocus(key);
}

function scheduleRefresh(delay = 250): void {
  if (ended) return;
  clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => {
    fetchSnapshot().then(
      (next) => {
        if (ended) return;
        snapshot = next;
        render();
      },
      (error) => failed(error),
    );
  }, delay);
}

function note(type: string, time: string, text: string): void {
  events.unshift({ type, time, text });
  events.length = Math.min(events.length, 100);
}

function follow(): void {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    if (!ended) say("live", "ok");
  });
  source.addEventListener("error", () => {
    if (!ended) say("connection to the daemon lost; retrying", "bad");
  });
  const data = (event: Event) => JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>;
  source.addEventListener("audit", (event) => {
    const entries = data(event).entries as AuditEventEntry[];
    if (snapshot) {
      const known = new Set(snapshot.audit.tail.map((e) => e.seq));
      const fresh = entries.filter((e) => !known.has(e.seq));
      if (fresh.length > 0) {
        snapshot.audit.tail = [...snapshot.audit.tail, ...fresh].slice(-50);
        render();
      }
    }
    scheduleRefresh();
  });
  source.addEventListener("rotate", (event) => {
    const d = data(event);
    note("rotate", String(d.time), `${(d.names as string[]).join(", ")} rotated`);
    scheduleRefresh(0);
  });
  source.addEventListener("expiring", (event) => {
    const d = data(event);
    note(
      "expiring",
      String(d.time),
      `the ${d.what === "idle" ? "idle lock" : "session's end"} comes in ${d.inSeconds}s`,
    );
    render();
  });
  source.addEventListener("resolve-failed", (event) => {
    const d = data(event);
    note("resolve-failed", String(d.time), `${String(d.code)} in ${String(d.root ?? d.cwd)}: ${String(d.message)}`);
    scheduleRefresh(0);
  });
  source.addEventListener("wipe", (event) => {
    const d = data(event);
    ended = String(d.reason);
    source.close();
    clearTimeout(refreshTimer);
    note("wipe", String(d.time), `the session's material was wiped (${ended})`);
    say(`The session ended (${ended}): this page is no longer served. Run \`devsecrets ui\` for a new one.`, "bad");
    render();
  });
}

function tick(): void {
  const now = Date.now();
  for (const span of document.querySelectorAll<HTMLElement>("[data-countdown]")) {
    span.textContent = countdown(span.dataset.countdown || null, now);
  }
}

function start(): void {
  byId("state").insertAdjacentElement(
    "afterend",
    h(
      "button",
      {
        type: "button",
        id: "action-logout",
        class: "danger",
        onclick: () =>
          void act(
            "logout",
            {},
            "Log out?",
            ["Wipes the session now: leases revoked, sandbox values forgotten."],
            "Log out",
          ),
      },
      "Log out",
    ),
  );
  fetchSnapshot().then(
    (first) => {
      snapshot = first;
      render();
      follow();
    },
    (error) => failed(error),
  );
  // the countdowns' clock; no data is fetched by it
  window.setInterval(tick, 1000);
}

start();
