// The sandbox's routes and wipe parts wired for the composition root: mint, kinds, the session's JWKS and its loopback
// endpoint, the fingerprints `scan` matches, rotation; the session's material and the JWKS listener at the wipe.
// Rule: everything here acts on the serving session of the moment (the holder's), never on one kept from before.

import { mintEntry } from "../audit/action-entries.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { DaemonCore } from "../daemon-api.js";
import type { EventBus } from "../events.js";
import type { ProjectFiles } from "../resolve/project-files.js";
import type { SeenProjects } from "../resolve/seen-projects.js";
import type { SessionHolder } from "../session/serving-session.js";
import type { WipePart } from "../wipe/wipe-registry.js";
import { describeKinds } from "./describe-kinds.js";
import { sessionJwks } from "./jwks.js";
import { JwksServer } from "./jwks-server.js";
import { mintForRequest } from "./mint-for-request.js";
import { type RotateDeps, rotateSandbox } from "./rotate-sandbox.js";

export interface SandboxWiringDeps {
  holder: SessionHolder;
  projects: ProjectFiles;
  events: EventBus;
  audit: Pick<AuditLog, "append">;
  /** a sandbox service's part in a rotation (services-wiring.ts) */
  retire: RotateDeps["retire"];
  /** the projects seen this session: forgotten with the session's material */
  seen: Pick<SeenProjects, "clear">;
}

export interface WiredSandbox {
  mint: DaemonCore["mint"];
  kinds: DaemonCore["kinds"];
  jwks: DaemonCore["jwks"];
  serveJwks: DaemonCore["serveJwks"];
  guardFingerprints: DaemonCore["guardFingerprints"];
  rotate: DaemonCore["rotate"];
  jwksServer: JwksServer;
  /** the session's minted material and CA files */
  wipePart: WipePart;
  /** the loopback JWKS endpoint */
  jwksWipePart: WipePart;
}

export function wireSandbox(deps: SandboxWiringDeps): WiredSandbox {
  const { holder, audit } = deps;
  const jwks = () => sessionJwks(holder.current.sandbox);
  const jwksServer = new JwksServer(jwks);
  return {
    mint(request, caller = {}) {
      const session = holder.current;
      return mintForRequest(request, session, (reference) => audit.append([mintEntry(session.id, reference, caller)]));
    },
    kinds: () => describeKinds(),
    jwks,
    serveJwks: (request) => jwksServer.serve(request.port),
    guardFingerprints: () => holder.current.served.fingerprints(),
    rotate: (request, caller = {}) =>
      rotateSandbox(
        request,
        {
          projects: deps.projects,
          session: () => holder.current,
          events: deps.events,
          audit: (entries) => audit.append(entries),
          retire: deps.retire,
        },
        caller,
      ),
    jwksServer,
    wipePart: {
      name: "sandbox",
      run: () => {
        deps.seen.clear();
        return holder.wipe();
      },
    },
    jwksWipePart: { name: "jwks-server", run: async () => ({ undone: await jwksServer.close() }) },
  };
}
