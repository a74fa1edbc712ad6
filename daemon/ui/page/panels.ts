// The dashboard's panels, one function each, in the order shown: a new panel (the sandbox services, say) is one more
// entry in PANELS.
// Rule: they show names, references, counts and times from the snapshot; they hold no values because none arrive.

import type { UiProject, UiSnapshot } from "../../protocol/ui-snapshot.js";
import type { AuditEventEntry } from "../../protocol/events.js";
import { h } from "./dom.js";
import { ago, clock, countdown } from "./format.js";

export interface PanelContext {
  now: number;
  ended: boolean;
  /** asks for confirmation, then posts the action */
  act(name: string, body: Record<string, unknown>, title: string, details: string[], label: string): void;
  trust(project: UiProject): void;
  untrust(project: UiProject): void;
  /** the events received since the page opened, newest first */
  events: { type: string; time: string; text: string }[];
}

export interface Panel {
  id: string;
  title: string;
  render(snapshot: UiSnapshot, context: PanelContext): Node;
}

function table(caption: string, headers: string[], rows: Node[]): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, `${caption}: none`);
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, ...rows),
  );
}

function button(label: string, attrs: Record<string, string | boolean | undefined>, onclick: () => void): HTMLElement {
  return h("button", { type: "button", ...attrs, onclick }, label);
}

const sessionPanel: Panel = {
  id: "session",
  title: "Session",
  render(s, ctx) {
    const login = s.session.kind === "login";
    const facts: [string, Node | string][] = [
      ["session", login ? `${s.session.env}, ${s.session.store} store` : "none (sandbox:// and env:// only)"],
      ["started", clock(s.session.createdAt)],
      [
        "expires in",
        h("span", { "data-countdown": s.session.expiresAt ?? "" }, countdown(s.session.expiresAt, ctx.now)),
      ],
      ["idle lock in", h("span", { "data-countdown": s.session.idleAt ?? "" }, countdown(s.session.idleAt, ctx.now))],
      [
        "Vault",
        s.vault
          ? s.vault.offline
            ? "offline"
            : `${s.vault.address}${s.vault.namespace ? ` (${s.vault.namespace})` : ""}`
          : "none",
      ],
      [
        "served",
        `${s.session.counts.valuesServed} values, ${s.session.counts.sandboxTokens} sandbox tokens, ${s.session.counts.leases} leases`,
      ],
      ["daemon", `${s.daemon.version}, pid ${s.daemon.pid}, ${s.daemon.user}`],
    ];
    return h(
      "div",
      {},
      h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      login &&
        button("Extend by 8 hours", { id: "action-extend", disabled: ctx.ended }, () =>
          ctx.act("extend", {}, "Extend the session?", ["The session will end 8 hours from now."], "Extend"),
        ),
    );
  },
};

function projectSection(project: UiProject, ctx: PanelContext): Node {
  const rows = project.variables.map((v) =>
    h(
      "tr",
      { "data-variable": v.name },
      h("th", { scope: "row" }, v.name),
      h("td", {}, v.scheme, v.kind ? h("span", { class: "muted" }, ` ${v.kind}`) : null),
      h("td", { class: "where" }, v.file ? `${v.file}:${v.line}` : "—"),
      h("td", { class: "num", "data-served": String(v.served) }, String(v.served)),
      h("td", {}, ago(v.lastServedAt, ctx.now)),
      h(
        "td",
        {},
        v.scheme === "sandbox" &&
          button("Rotate", { "aria-label": `Rotate ${v.name}`, class: "small", disabled: ctx.ended }, () =>
            ctx.act(
              "rotate",
              { root: project.root, names: [v.name] },
              `Rotate ${v.name}?`,
              [`A new sandbox value replaces ${v.reference ?? v.name}; running apps that follow rotations re-resolve.`],
              "Rotate",
            ),
          ),
      ),
    ),
  );
  const last = project.last;
  return h(
    "section",
    { class: "project", "aria-label": `project ${project.root}` },
    h("h3", {}, project.root),
    h(
      "p",
      { class: last.ok ? "ok" : "bad" },
      last.ok ? `last resolve ok, ${ago(last.at, ctx.now)}` : `last resolve failed ${ago(last.at, ctx.now)}: `,
      last.ok ? null : h("strong", {}, last.code ?? ""),
      last.ok ? null : ` ${last.message ?? ""} — ${last.hint ?? ""}`,
    ),
    project.trust
      ? h(
          "p",
          {
            class: project.trust.trusted ? "ok" : "bad",
            "data-trust": project.trust.trusted ? "trusted" : "untrusted",
          },
          project.trust.trusted ? `trusted (${project.trust.reason})` : `not trusted (${project.trust.reason})`,
        )
      : null,
    project.listError ? h("p", { class: "bad" }, `its files could not be read again (${project.listError})`) : null,
    table(
      `Variables of ${project.root} (${project.env})`,
      ["name", "scheme / kind", "file:line", "served", "last", ""],
      rows,
    ),
    h(
      "div",
      { class: "buttons" },
      button("Trust…", { "aria-label": `Trust ${project.root}`, disabled: ctx.ended }, () => ctx.trust(project)),
      button("Revoke trust", { "aria-label": `Revoke trust for ${project.root}`, disabled: ctx.ended }, () =>
        ctx.untrust(project),
      ),
    ),
  );
}

const projectsPanel: Panel = {
  id: "projects",
  title: "Projects",
  render(s, ctx) {
    if (s.projects.length === 0) return h("p", { class: "empty" }, "no project resolved in this session yet");
    return h("div", {}, ...s.projects.map((project) => projectSection(project, ctx)));
  },
};

const handedOutPanel: Panel = {
  id: "handed-out",
  title: "What the wipe will undo",
  render(s, ctx) {
    const rows = s.handedOut.map((item) =>
      h(
        "tr",
        {},
        h("td", {}, item.kind),
        h("td", { class: "where" }, item.name),
        h("td", {}, item.expiresAt ? `in ${countdown(item.expiresAt, ctx.now)}` : "at the wipe"),
      ),
    );
    return table("Leases, roles, CA files, ports and services", ["kind", "name", "ends"], rows);
  },
};

function auditRow(entry: AuditEventEntry): Node {
  return h(
    "tr",
    { "data-seq": String(entry.seq) },
    h("td", { class: "num" }, String(entry.seq)),
    h("td", {}, clock(entry.time)),
    h("td", {}, entry.action),
    h("td", {}, entry.variable ?? entry.reference ?? ""),
    h("td", { class: entry.outcome === "ok" ? "ok" : "bad" }, entry.outcome),
    h("td", { class: "muted" }, entry.exe ?? (entry.pid ? `pid ${entry.pid}` : "")),
  );
}

const auditPanel: Panel = {
  id: "audit",
  title: "Audit trail",
  render(s) {
    const v = s.audit.verify;
    return h(
      "div",
      {},
      h(
        "p",
        { class: v.ok ? "ok" : "bad", id: "audit-verdict" },
        v.ok
          ? `audit verify: ok, ${v.entries} entries (checked ${clock(v.at)})`
          : `audit verify: broken (${v.problem ?? v.head ?? "?"}), checked ${clock(v.at)}`,
      ),
      table(
        "Latest entries",
        ["#", "time", "action", "variable or reference", "outcome", "by"],
        [...[...s.audit.tail].reverse().map(auditRow)],
      ),
    );
  },
};

const eventsPanel: Panel = {
  id: "events",
  title: "Events",
  render(_s, ctx) {
    if (ctx.events.length === 0)
      return h("p", { class: "empty" }, "no rotation, wipe or warning since the page opened");
    return h(
      "ul",
      { class: "events" },
      ...ctx.events.map((e) =>
        h("li", { "data-event": e.type }, h("time", {}, clock(e.time)), ` ${e.type}: ${e.text}`),
      ),
    );
  },
};

export const PANELS: Panel[] = [sessionPanel, eventsPanel, projectsPanel, handedOutPanel, auditPanel];
