// `set`, `unset` and the keychain part of `ls`: the user's keychain:// values of one project.
// Rule: values go into the session's store only (a fingerprint to `scan`); `rotate` events carry variable names only.

import { DevsecretsError } from "../../common/errors.js";
import { Secret } from "../../common/secret.js";
import type { EventBus } from "../events.js";
import { DEFAULT_ENV, type KeychainChange, type ListResponse } from "../protocol/messages.js";
import type { ProjectFiles, Project } from "../resolve/project-files.js";
import type { ServingSession } from "./serving-session.js";
import type { SessionManager } from "./session-manager.js";
import { validateKeychainName } from "./stores/keychain-names.js";
import { equalSecrets } from "../hardening/constant-time.js";

export const MAX_VALUE_BYTES = 32 * 1024;

export interface KeychainValuesDeps {
  sessions: SessionManager;
  projects: ProjectFiles;
  projectId: (root: string) => Promise<string>;
  events: EventBus;
  /** the serving session, whose fingerprints `scan` reads */
  session: () => ServingSession;
}

function variablesUsing(project: Project, name: string): string[] {
  return [...project.variables.values()]
    .filter((d) => d.reference?.scheme === "keychain" && d.reference.path.normalize("NFC") === name)
    .map((d) => d.name);
}

export class KeychainValues {
  constructor(private readonly deps: KeychainValuesDeps) {}

  async set(cwd: string, rawName: string, value: string, replace = false): Promise<KeychainChange> {
    const name = validateKeychainName(rawName);
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw new DevsecretsError("DS_BAD_REQUEST", `the value for keychain://${name} is larger than 32 KiB`);
    }
    const { store } = this.deps.sessions.requireLogin(`devsecrets set ${name}`);
    const project = await this.deps.projects.load(cwd, DEFAULT_ENV);
    const id = await this.deps.projectId(project.root);
    const previous = await store.getValue(id, name);
    if (previous !== null && !replace && !equalSecrets(previous, value)) {
      // a folder inside another project's worktree shares its id: replacing must be a decision, never a side effect
      throw new DevsecretsError(
        "DS_KEYCHAIN_EXISTS",
        `keychain://${name} already holds another value for project ${id} (${project.root})`,
        { hint: `pass --force to replace it (devsecrets set ${name} --force), or choose another name` },
      );
    }
    await store.setValue(id, name, new Secret(value));
    const changed = previous === null || previous === undefined || !equalSecrets(previous, value);
    const variables = variablesUsing(project, name);
    if (changed) this.deps.events.publish({ type: "rotate", names: variables, references: [`keychain://${name}`] });
    // a value the user stored is one `scan` must find in files, served or not yet
    this.deps.session().served.record(value, null);
    return { name, variables, changed };
  }

  async unset(cwd: string, rawName: string): Promise<KeychainChange> {
    const name = validateKeychainName(rawName);
    const { store } = this.deps.sessions.requireLogin(`devsecrets unset ${name}`);
    const project = await this.deps.projects.load(cwd, DEFAULT_ENV);
    const id = await this.deps.projectId(project.root);
    const changed = await store.removeValue(id, name);
    const variables = variablesUsing(project, name);
    if (changed) this.deps.events.publish({ type: "rotate", names: variables, references: [`keychain://${name}`] });
    return { name, variables, changed };
  }

  /** whether each keychain:// name is set for the project (null for all without a session) */
  async #status(id: string, names: Iterable<string>): Promise<Map<string, boolean | null>> {
    const result = new Map<string, boolean | null>();
    const active = this.deps.sessions.active;
    for (const name of new Set(names))
      result.set(name, active ? (await active.store.getValue(id, name)) !== null : null);
    return result;
  }

  /** `ls`: marks each keychain:// variable of a listing set or not (null without a session), in place */
  async markSet(listing: ListResponse): Promise<ListResponse> {
    // as the reference parser reads it: percent-decoded (already validated), NFC
    const nameOf = (reference: string) => decodeURIComponent(reference.slice("keychain://".length)).normalize("NFC");
    const keychainVariables = listing.variables.filter((v) => v.source === "keychain" && v.reference);
    const set = await this.#status(
      listing.project.id,
      keychainVariables.map((v) => nameOf(v.reference as string)),
    );
    for (const v of keychainVariables) v.set = set.get(nameOf(v.reference as string)) ?? null;
    return listing;
  }
}
