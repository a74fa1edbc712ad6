// Project trust wired for the composition root: the daemon's trust book (trust.json in the state folder), the
// resolver's verdict, and the four trust routes, audited, each one call for the core.
// Rule: every change of trust is audited with its caller; the report looks a keychain value up, never reads it out.

import { join } from "node:path";
import { readBoolean } from "../../common/environment.js";
import { stateDir } from "../../common/paths.js";
import { trustEntry } from "../audit/action-entries.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { DaemonCore } from "../daemon-api.js";
import type { ProjectFiles } from "../resolve/project-files.js";
import type { TrustVerdict } from "../resolve/provider.js";
import type { SessionManager } from "../session/session-manager.js";
import { originUrl } from "../session/stores/keychain-names.js";
import { ProjectTrustBook } from "./project-trust.js";
import { TrustListings } from "./trust-listing.js";
import { reportTrust, verdictOf } from "./trust-report.js";
import { TrustStore } from "./trust-store.js";

export interface TrustWiringDeps {
  env: NodeJS.ProcessEnv;
  projects: ProjectFiles;
  projectId: (root: string) => Promise<string>;
  audit: Pick<AuditLog, "append">;
  /** the serving session's id, for the audit entries */
  sessionId: () => string;
  /** the logged-in session, whose keychain the report counts */
  sessions: Pick<SessionManager, "active">;
}

export interface WiredTrust {
  book: ProjectTrustBook;
  /** the resolver's question: is the project at root trusted, and how does it refuse */
  verdict: (root: string) => TrustVerdict;
  /** the project's trust state as the dashboard shows it */
  trustOf: (root: string) => { trusted: boolean; reason: string };
  show: DaemonCore["trustShow"];
  trust: DaemonCore["trust"];
  revoke: DaemonCore["trustRevoke"];
  list: DaemonCore["trustList"];
}

export function wireTrust(deps: TrustWiringDeps): WiredTrust {
  const { env, projects, projectId, audit, sessions } = deps;
  const book = new ProjectTrustBook({
    listings: new TrustListings(),
    store: new TrustStore(join(stateDir(env), "trust.json")),
    projectId,
    // a value outside the dialect trusts nothing: the safe reading of a typo
    trustAll: readBoolean(env, "DEVSECRETS_TRUST_ALL", () => {}),
  });
  const reportDeps = {
    projectId,
    origin: originUrl,
    keychainHas: async (id: string, name: string) =>
      sessions.active ? (await sessions.active.store.getValue(id, name)) !== null : null,
  };
  return {
    book,
    verdict: (root) => verdictOf(book, root),
    trustOf: (root) => {
      const state = book.state(root);
      return { trusted: state.trusted, reason: state.reason };
    },
    show: async (request) => reportTrust(book.state(await projects.findRoot(request.cwd)), reportDeps),
    async trust(request, caller = {}) {
      const state = await book.trust(await projects.findRoot(request.cwd), request.digest);
      audit.append([trustEntry("trust", deps.sessionId(), state.root, request.digest, caller)]);
      return reportTrust(state, reportDeps);
    },
    async revoke(request, caller = {}) {
      const root = await projects.findRoot(request.cwd);
      const revoked = book.revoke(root);
      const real = book.state(root).root;
      if (revoked) audit.append([trustEntry("untrust", deps.sessionId(), real, null, caller)]);
      return { root: real, revoked };
    },
    list: () => ({ trustAll: readBoolean(env, "DEVSECRETS_TRUST_ALL", () => {}), projects: book.list() }),
  };
}
