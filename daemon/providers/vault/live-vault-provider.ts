// vault:// against a real Vault/OpenBao: KV v1/v2, dynamic secrets on one lease per path, production kept out of dev.
// Rule: a lease is journaled right after the read returns and before a value leaves; values stay in the session's memo.

import { DevsecretsError } from "../../../common/errors.js";
import type { EventBus } from "../../events.js";
import type { ProjectFiles } from "../../resolve/project-files.js";
import { valueIdentity, type Reference } from "../../resolve/reference.js";
import type { ServingSession } from "../../session/serving-session.js";
import { answerWithStandIn, vaultStandInProvider } from "../vault-stand-in.js";
import type { Provider, ResolveContext } from "../../resolve/provider.js";
import { mountOf, encodePath } from "./kv-mounts.js";
import { kvLocation, readKv } from "./kv-read.js";
import { selectVaultField, toFields, type VaultFields } from "./vault-fields.js";
import { vaultFailure } from "./vault-http.js";
import { matchProduction, type ProductionPattern } from "../../resolve/production-paths.js";
import type { LiveVault, VaultSessions } from "./vault-sessions.js";

export interface LiveVaultDeps {
  sessions: VaultSessions;
  events: EventBus;
  projects: ProjectFiles;
  /** the user config's production patterns (resolve/production-paths.ts); none when absent */
  production?: { patterns(): ProductionPattern[] };
}

interface VaultValue {
  fields: VaultFields;
  leaseId: string | null;
}

/** the environment a reference is marked for: ?env=..., or the overlay file it was written in */
function markedEnv(ref: Reference, where: string): string | null {
  if (ref.query.env) return ref.query.env;
  const file = /^devsecrets\.([a-z][a-z0-9_-]*)\.env:\d+$/.exec(where);
  return file && file[1] === "prod" ? "prod" : null;
}

export function liveVaultProvider(deps: LiveVaultDeps): Provider {
  return {
    async resolve(ref, context) {
      const id = context.session.id;
      if (deps.sessions.offline(id)) {
        context.notices.add("DS_VAULT_SANDBOX", "offline: vault:// references are answered by sandbox values");
        return answerWithStandIn(ref, context);
      }
      const live = deps.sessions.live(id);
      if (!live) return vaultStandInProvider.resolve(ref, context);
      // the user's own production patterns win over whatever the project file marks (or does not)
      const declared = matchProduction(deps.production?.patterns() ?? [], ref);
      if (declared && live.session.state.env !== "prod") {
        context.notices.add(
          "DS_VAULT_SANDBOX",
          `${ref.raw} is production by your user config (${declared.text}), and this session is ${live.session.state.env}: answered by a sandbox value (log in with --env prod to fetch it)`,
        );
        return answerWithStandIn(ref, context);
      }
      const marked = markedEnv(ref, context.where);
      if (marked !== null && marked !== live.session.state.env) {
        context.notices.add(
          "DS_VAULT_SANDBOX",
          `${ref.raw} is for ${marked}, and this session is ${live.session.state.env}: answered by a sandbox value (log in with --env ${marked} to fetch it)`,
        );
        return answerWithStandIn(ref, context);
      }
      const identity = valueIdentity(ref);
      live.session.remember(identity, ref.raw, context.projectRoot, context.env);
      const value = await context.session.memo(`vault:${identity}`, () =>
        fetchValue(deps, live, ref, context, identity),
      );
      return selectVaultField(value.fields, ref, context.where);
    },
  };
}

async function fetchValue(
  deps: LiveVaultDeps,
  live: LiveVault,
  ref: Reference,
  context: ResolveContext,
  identity: string,
): Promise<VaultValue> {
  const session = live.session;
  const mount = await mountOf(session, ref);
  if (mount.kvVersion !== null) {
    const kv = await readKv(session, mount, ref, context.where);
    const location = kvLocation(mount, ref);
    if (location.metadataPath && kv.version !== null && ref.query.version === undefined) {
      const serving = context.session;
      live.watcher.watch(identity, location.metadataPath, kv.version, () => {
        serving.forget(`vault:${identity}`);
        void announceRotation(deps, live, identity);
      });
    }
    return { fields: toFields(kv.data), leaseId: null };
  }
  return readLeased(deps, live, ref, context.session, context.projectRoot, identity);
}

/** a read of a non-KV engine; one with a lease is journaled, kept alive, and re-read when it can no longer be renewed */
async function readLeased(
  deps: LiveVaultDeps,
  live: LiveVault,
  ref: Reference,
  serving: ServingSession,
  projectRoot: string,
  identity: string,
): Promise<VaultValue> {
  const session = live.session;
  let answer;
  try {
    answer = await session.http.read(encodePath(ref.path), { allowMissing: true });
  } catch (error) {
    throw vaultFailure(error, session.state.endpoint, ref.raw, ref.path);
  }
  if (!answer)
    throw new DevsecretsError("DS_REF_NOT_FOUND", `Vault at ${session.address} has nothing at ${ref.raw}`, {
      hint: "check the mount and the role or path",
    });
  const leaseId = typeof answer.lease_id === "string" && answer.lease_id !== "" ? answer.lease_id : null;
  if (leaseId) {
    // journaled before the value is handed out, so a crash from here on still gets it revoked
    const ledger = serving.ledger?.(projectRoot);
    ledger?.record({ id: leaseId, kind: "vault-lease", data: { address: session.address } });
    serving.counts.leases++;
    live.leases.keep({
      leaseId,
      ttlSeconds: answer.lease_duration ?? 0,
      renewable: answer.renewable === true,
      lost: async () => {
        if (serving.destroyed || session.stopped) return;
        const next = await readLeased(deps, live, ref, serving, projectRoot, identity);
        serving.forget(`vault:${identity}`);
        void serving.memo(`vault:${identity}`, async () => next);
        await announceRotation(deps, live, identity);
      },
    });
  }
  return { fields: toFields((answer.data ?? {}) as Record<string, unknown>), leaseId };
}

/** tells subscribers which variables hold the reference, so shims re-resolve them */
async function announceRotation(deps: LiveVaultDeps, live: LiveVault, identity: string): Promise<void> {
  const use = live.session.uses.get(identity);
  if (!use || live.session.stopped) return;
  const names = new Set<string>();
  const references = new Set<string>();
  for (const place of use.places) {
    const [root, env] = place.split("\0") as [string, string];
    try {
      const project = await deps.projects.load(root, env);
      for (const definition of project.variables.values()) {
        if (definition.reference?.scheme === "vault" && valueIdentity(definition.reference) === identity) {
          names.add(definition.name);
          references.add(definition.reference.raw);
        }
      }
    } catch {
      // a project that moved away: its variables are no longer anyone's
    }
  }
  if (references.size === 0) references.add(use.raw);
  deps.events.publish({ type: "rotate", names: [...names], references: [...references] });
}
