// POST /v1/sandbox/rotate: new sandbox values for the named variables of a project (all its sandbox:// ones when none
// is named). The session forgets the mint behind each, so the next resolve mints anew, and `rotate` tells shims.
// Rule: answers and publishes names and references only; variables sharing a mint (#id, #secret) rotate together.

import { DevsecretsError } from "../../common/errors.js";
import type { AuditEvent } from "../../common/audit-entry.js";
import type { Caller } from "../audit/caller.js";
import type { EventBus } from "../events.js";
import { DEFAULT_ENV } from "../protocol/messages.js";
import type { RotateRequest, RotateResponse } from "../protocol/ui-messages.js";
import type { ProjectFiles } from "../resolve/project-files.js";
import { valueIdentity } from "../resolve/reference.js";
import type { ServingSession } from "../session/serving-session.js";
import type { Minted, SandboxKind } from "./sandbox-kind.js";

export interface RotateDeps {
  projects: ProjectFiles;
  session: () => ServingSession;
  events: EventBus;
  /** the audit's append: one `rotate` entry a reference, before anything is forgotten (fails closed) */
  audit: (events: AuditEvent[]) => void;
  /**
   * a sandbox service's part (redis/server: a new password beside the old; aws/access-key: the old pair leaves moto
   * after the grace): told each old mint before it is forgotten
   */
  retire?: (old: { kind: SandboxKind; minted: Minted }, graceSeconds: number) => Promise<void>;
}

/** how long an old value keeps working in its service when the request names no grace (docs/protocol.md: 0) */
export const DEFAULT_GRACE_SECONDS = 0;

export async function rotateSandbox(
  request: RotateRequest,
  deps: RotateDeps,
  caller: Caller = {},
): Promise<RotateResponse> {
  const project = await deps.projects.load(request.cwd, request.env ?? DEFAULT_ENV);
  const sandboxed = [...project.variables.values()].filter((d) => d.reference?.scheme === "sandbox");
  const asked = request.names ?? sandboxed.map((d) => d.name);
  const identities = new Set<string>();
  for (const name of asked) {
    const definition = project.variables.get(name);
    if (!definition)
      throw new DevsecretsError("DS_VAR_NOT_FOUND", `${name} is not defined in ${project.files.join(", ")}`);
    if (definition.reference?.scheme !== "sandbox") {
      throw new DevsecretsError(
        "DS_SANDBOX_OPTION",
        `${name} (${definition.file}:${definition.line}) is not a sandbox:// reference, so the daemon cannot rotate it`,
        { hint: "rotate a keychain value with `devsecrets set NAME --force`, a Vault one in Vault" },
      );
    }
    identities.add(valueIdentity(definition.reference));
  }
  const rotated = sandboxed
    .filter((d) => identities.has(valueIdentity(d.reference as NonNullable<typeof d.reference>)))
    .map((d) => ({ name: d.name, reference: (d.reference as NonNullable<typeof d.reference>).raw }));
  if (rotated.length === 0) return { rotated };
  const session = deps.session();
  deps.audit(
    rotated.map(({ name, reference }) => ({
      action: "rotate",
      session: session.id,
      reference,
      variable: name,
      outcome: "ok",
      ...caller,
    })),
  );
  const grace = request.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  for (const identity of identities) {
    const old = (await session.recall(identity)?.catch(() => undefined)) as
      | { kind: SandboxKind; minted: Minted }
      | undefined;
    if (old && deps.retire) await deps.retire(old, grace);
    session.forget(identity);
  }
  deps.events.publish({
    type: "rotate",
    names: rotated.map((r) => r.name),
    references: [...new Set(rotated.map((r) => r.reference))],
  });
  return { rotated };
}
