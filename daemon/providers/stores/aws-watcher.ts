// Rotation for aws-sm:// and aws-ssm://: while someone subscribes to /v1/events, each secret the session fetched is
// described (DescribeSecret: version ids and stages; DescribeParameters: the version; never the value) every DEVSECRETS_POLL_MS (30 s by default, the
// interval Vault's watcher uses); when the version behind its stage moved, the session forgets its copy and a
// `rotate` event names the variables, so the shims re-resolve them.
// Rule: a reference pinned by ?version-id never rotates; silent when nobody subscribes; the wipe stops it all.

import type { EventBus } from "../../events.js";
import type { Logger } from "../../log.js";
import type { ProjectFiles } from "../../resolve/project-files.js";
import { valueIdentity, type Reference } from "../../resolve/reference.js";
import type { ServingSession } from "../../session/serving-session.js";
import type { AwsClients } from "./aws-clients.js";
import { loadAwsSdk } from "./aws-clients.js";
import type { AwsSettings } from "./aws-login.js";

export interface WatchedSecret {
  scheme: "aws-sm" | "aws-ssm";
  sessionId: string;
  serving: ServingSession;
  settings: AwsSettings;
  ref: Reference;
  identity: string;
  versionId: string;
  /** "root\0env" of a project that resolved it: where its variable names are found */
  place: string;
}

interface Watched extends Omit<WatchedSecret, "place"> {
  places: Set<string>;
}

export interface AwsWatcherDeps {
  clients: AwsClients;
  events: EventBus;
  projects: ProjectFiles;
  log: Logger;
  intervalMs: number;
}

export class AwsSecretWatcher {
  readonly #watched = new Map<string, Watched>();
  #timer: NodeJS.Timeout | null = null;
  #polling = false;

  constructor(private readonly deps: AwsWatcherDeps) {}

  watch(secret: WatchedSecret): void {
    if (secret.ref.query["version-id"] !== undefined) return;
    const key = `${secret.sessionId}\0${secret.scheme}\0${secret.identity}`;
    const existing = this.#watched.get(key);
    if (existing) {
      existing.places.add(secret.place);
      return;
    }
    const { place, ...rest } = secret;
    this.#watched.set(key, { ...rest, places: new Set([place]) });
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#poll(), this.deps.intervalMs);
      this.#timer.unref();
    }
  }

  /** the wipe: nothing is watched any more */
  stop(): number {
    const count = this.#watched.size;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#watched.clear();
    return count;
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.deps.events.subscribers === 0) return;
    this.#polling = true;
    try {
      for (const [key, watched] of [...this.#watched]) {
        if (watched.serving.destroyed) {
          this.#watched.delete(key);
          continue;
        }
        let current: string | undefined;
        try {
          current = await this.#version(watched);
        } catch {
          // the store is away for now: the next round asks again; resolves say what is wrong
          continue;
        }
        if (current === undefined || current === watched.versionId || this.#watched.get(key) !== watched) continue;
        this.#watched.delete(key);
        watched.serving.forget(`${watched.scheme}:${watched.identity}`);
        this.deps.log.info("aws-rotated", {
          session: watched.sessionId,
          scheme: watched.scheme,
          secret: watched.ref.path,
        });
        await this.#announce(watched);
      }
    } finally {
      this.#polling = false;
    }
  }

  /** the version now behind the reference: the id its stage points at, or the parameter's version number */
  async #version(watched: Watched): Promise<string | undefined> {
    const region = watched.ref.query.region ?? null;
    if (watched.scheme === "aws-ssm") {
      const { DescribeParametersCommand } = await loadAwsSdk();
      const client = await this.deps.clients.ssm(watched.sessionId, watched.settings, region);
      const answer = await client.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [watched.ref.path] }],
        }),
      );
      const version = answer.Parameters?.[0]?.Version;
      return version === undefined ? undefined : String(version);
    }
    const { DescribeSecretCommand } = await loadAwsSdk();
    const client = await this.deps.clients.secretsManager(watched.sessionId, watched.settings, region);
    const answer = await client.send(new DescribeSecretCommand({ SecretId: watched.ref.path }));
    const stage = watched.ref.query["version-stage"] ?? "AWSCURRENT";
    return Object.entries(answer.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(stage))?.[0];
  }

  /** a `rotate` event naming every variable that holds the secret in the projects that resolved it */
  async #announce(watched: Watched): Promise<void> {
    const names = new Set<string>();
    const references = new Set<string>();
    for (const place of watched.places) {
      const [root, env] = place.split("\0") as [string, string];
      try {
        const project = await this.deps.projects.load(root, env);
        for (const definition of project.variables.values()) {
          const ref = definition.reference;
          if (ref?.scheme === watched.scheme && valueIdentity(ref) === watched.identity) {
            names.add(definition.name);
            references.add(ref.raw);
          }
        }
      } catch {
        // a project that moved away: its variables are no longer anyone's
      }
    }
    if (references.size === 0) references.add(watched.ref.raw);
    this.deps.events.publish({ type: "rotate", names: [...names], references: [...references] });
  }
}
