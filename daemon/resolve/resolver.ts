// Turns a project's definitions into values: references through their providers, then ${VAR} expansion, then the
// variables the answer implies (CA files) and the session's notices. The project is loaded once per request.
// Rule: the caller's own variables win unless override (callerKeeps, for every variable); values leave only in the
// response, never in errors.

import { DevsecretsError } from "../../common/errors.js";
import { Notices, TRUSTED, type Provider, type ResolveContext, type TrustVerdict } from "./provider.js";
import type { ServingSession } from "../session/serving-session.js";
import type {
  CheckProblem,
  CheckResponse,
  ListResponse,
  ResolveRequest,
  ResolveResponse,
} from "../protocol/messages.js";
import type { ReferenceScheme } from "./reference.js";
import type { Caller } from "../audit/caller.js";
import { expandVariables, type ExpandVariable } from "./expand.js";
import type { Definition, Project, ProjectFiles } from "./project-files.js";
import { sessionEndingNotices } from "./session-ending.js";
import { explainWithheld, noticeWithheld, withholdReason, type Withheld } from "./withhold.js";

import { DEFAULT_ENV } from "../protocol/messages.js";
import { findKind } from "../sandbox/registry.js";

export interface ResolverDeps {
  projects: ProjectFiles;
  providers: Record<ReferenceScheme, Provider>;
  projectId: (root: string) => Promise<string>;
  session: () => ServingSession;
  /** runs before any value leaves (the audit); a throw fails the request closed */
  beforeAnswer?: (served: readonly ServedVariable[], session: ServingSession, caller: Caller) => void;
  /** variables a whole-project answer implies beyond the project's own (the CA files behind sandbox://tls/*) */
  implied?: ImpliedVariables;
  /** the logged-in session's expiry (ISO), null without one: answered with the values, and warned of near the end */
  sessionExpiresAt?: () => string | null;
  /** the project's trust (daemon/trust); absent, everything is trusted */
  trust?: (root: string) => TrustVerdict;
}

/** proposes name -> value for an answer that holds `answered`; the resolver decides what is added */
export type ImpliedVariables = (
  project: Project,
  answered: readonly string[],
  session: ServingSession,
) => Promise<Record<string, string>>;

export interface ServedVariable {
  name: string;
  /** the reference it came from; null for a literal */
  reference: string | null;
}

/** the caller's own value of `name` is kept instead of the daemon's, unless the request asks to override */
function callerKeeps(request: ResolveRequest, name: string): boolean {
  return !request.override && Object.hasOwn(request.environ ?? {}, name);
}

const VARIABLE_USE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Throws the first malformed reference among the variables an answer needs, before any provider starts: a throw
 * after one had started left its promise to reject unhandled, which ended the daemon (issue 17).
 */
function throwFirstDefinitionError(project: Project, request: ResolveRequest, wanted: Set<string> | null): void {
  for (const [name, definition] of project.variables) {
    if (wanted && !wanted.has(name)) continue;
    if (definition.error && !callerKeeps(request, name)) throw definition.error;
  }
}

/** name -> value with an own property for every name, "__proto__" included (plain assignment would set the prototype) */
function setOwn(target: Record<string, string>, name: string, value: string): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

const whereOf = (definition: Definition): string => `${definition.file}:${definition.line}`;

/** the names a request needs: the asked ones plus every variable their literals mention, transitively */
function closure(project: Project, names: readonly string[]): Set<string> {
  const needed = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    const definition = project.variables.get(name);
    if (!definition || definition.reference || definition.quote === "single") continue;
    for (const match of definition.text.matchAll(VARIABLE_USE)) queue.push(match[1] as string);
  }
  return needed;
}

export class Resolver {
  constructor(private readonly deps: ResolverDeps) {}

  async resolve(request: ResolveRequest, caller: Caller = {}): Promise<ResolveResponse> {
    const env = request.env ?? DEFAULT_ENV;
    const environ = request.environ ?? {};
    const project = await this.deps.projects.load(request.cwd, env);
    // the project's id reads its git remote (a `git` process, ~10 ms at a project's first resolve): started here and
    // waited for only where it is needed, by keychain:// (whose items it names) and by the answer, so the other
    // providers resolve meanwhile instead of after it (issue 17's cold start)
    const projectId = this.deps.projectId(project.root);
    let knownId: string | undefined;
    projectId.then(
      (value) => {
        knownId = value;
      },
      () => {},
    );
    const trust = this.deps.trust?.(project.root) ?? TRUSTED;
    if (request.names) {
      for (const name of request.names) {
        const definition = project.variables.get(name);
        if (!definition) {
          throw new DevsecretsError("DS_VAR_NOT_FOUND", `${name} is not defined in ${project.files.join(", ")}`);
        }
        const why = callerKeeps(request, name) ? null : withholdReason(name, trust, definition.reference ?? null);
        if (why) {
          throw new DevsecretsError(
            "DS_NAME_WITHHELD",
            `${name} (${definition.file}:${definition.line}) is withheld: ${explainWithheld(name, why)}`,
            name.startsWith("DEVSECRETS_")
              ? { hint: "set devsecrets' own settings in your environment or its flags, not in a project file" }
              : {},
          );
        }
      }
    }
    const wanted = request.names ? closure(project, request.names) : null;
    throwFirstDefinitionError(project, request, wanted);
    const session = this.deps.session();
    const notices = new Notices();
    const kept = new Set<string>();
    const withheld: Withheld[] = [];
    const inputs = new Map<string, ExpandVariable>();
    const pending: Promise<void>[] = [];
    // values declared secret: false (a service's host and port): answered and audited, never masked
    const notSecret = new Set<string>();

    for (const [name, definition] of project.variables) {
      if (wanted && !wanted.has(name)) continue;
      if (callerKeeps(request, name)) {
        kept.add(name);
        inputs.set(name, { text: environ[name] as string, expand: false });
        continue;
      }
      const why = withholdReason(name, trust, definition.reference ?? null);
      if (why) {
        // left out before its reference is resolved: a withheld NODE_OPTIONS=keychain://x reads nothing
        withheld.push({ name, why, where: `${definition.file}:${definition.line}` });
        continue;
      }
      if (!definition.reference) {
        inputs.set(name, { text: definition.text, expand: definition.quote !== "single", where: whereOf(definition) });
        continue;
      }
      const reference = definition.reference;
      const context = this.#context(session, environ, env, () => knownId, project.root, notices, definition, trust);
      pending.push(
        // a provider that throws instead of rejecting still lands in Promise.all below, never beside it
        Promise.resolve()
          .then(() => (reference.scheme === "keychain" ? projectId : undefined))
          .then(() => this.#provider(definition).resolve(reference, context))
          .then((secret) => {
            inputs.set(name, { text: secret.reveal(), expand: false, where: whereOf(definition) });
            const ref = definition.reference as NonNullable<Definition["reference"]>;
            // env:// is the caller's own environment, not something the daemon served
            if (!secret.secret) notSecret.add(name);
            else if (ref.scheme !== "env")
              // a live sandbox kind's password (a server enforces it while the session lasts) is served as real
              session.served.recordSecret(
                secret,
                ref.scheme === "sandbox" && !findKind(ref.path)?.live ? ref.path : null,
              );
          }),
      );
    }
    await Promise.all(pending);
    const id = await projectId;
    for (const item of withheld) noticeWithheld(notices, item);
    const expanded = expandVariables(inputs, environ);
    const variables: Record<string, string> = {};
    const only = request.names ? new Set(request.names) : null;
    for (const [name, value] of expanded) {
      if (kept.has(name) || (only && !only.has(name))) continue;
      setOwn(variables, name, value);
    }
    this.deps.beforeAnswer?.(
      Object.keys(variables).map((name) => ({ name, reference: project.variables.get(name)?.reference?.raw ?? null })),
      session,
      caller,
    );
    session.counts.valuesServed += Object.keys(variables).length;
    if (!request.names && this.deps.implied) {
      const implied = await this.deps.implied(project, Object.keys(variables), session);
      for (const [name, value] of Object.entries(implied)) {
        if (project.variables.has(name)) continue; // the project's own definition was resolved, or kept, above
        if (callerKeeps(request, name)) kept.add(name);
        else setOwn(variables, name, value);
      }
    }
    const expiresAt = this.deps.sessionExpiresAt?.() ?? null;
    return {
      variables,
      kept: [...kept].filter((name) => !only || only.has(name)),
      sensitive: Object.keys(variables).filter(
        (name) => project.variables.get(name)?.reference && !notSecret.has(name),
      ),
      notices: expiresAt ? [...notices.list, ...sessionEndingNotices(expiresAt)] : notices.list,
      session: expiresAt ? { expiresAt } : null,
      project: { root: project.root, id, files: project.files },
      ...(withheld.length > 0 ? { withheld: withheld.map((item) => item.name) } : {}),
    };
  }

  /** resolves every reference without answering a value; lists each failure */
  async check(request: ResolveRequest): Promise<CheckResponse> {
    const env = request.env ?? DEFAULT_ENV;
    const project = await this.deps.projects.load(request.cwd, env);
    const id = await this.deps.projectId(project.root);
    const trust = this.deps.trust?.(project.root) ?? TRUSTED;
    const session = this.deps.session();
    const notices = new Notices();
    const problems: CheckProblem[] = [];
    const inputs = new Map<string, ExpandVariable>();
    const report = (definition: Definition, error: unknown) => {
      if (!(error instanceof DevsecretsError)) throw error;
      problems.push({
        name: definition.name,
        reference: definition.reference?.raw ?? null,
        file: definition.file,
        line: definition.line,
        code: error.code,
        message: error.message,
        hint: error.hint,
      });
    };
    await Promise.all(
      [...project.variables.values()].map(async (definition) => {
        if (definition.error) return report(definition, definition.error);
        if (!definition.reference) {
          inputs.set(definition.name, {
            text: definition.text,
            expand: definition.quote !== "single",
            where: whereOf(definition),
          });
          return;
        }
        try {
          const context = this.#context(
            session,
            request.environ ?? {},
            env,
            () => id,
            project.root,
            notices,
            definition,
            trust,
          );
          await this.#provider(definition).resolve(definition.reference, context);
          inputs.set(definition.name, { text: "", expand: false, where: whereOf(definition) });
        } catch (error) {
          report(definition, error);
        }
      }),
    );
    try {
      expandVariables(inputs, request.environ ?? {});
    } catch (error) {
      if (!(error instanceof DevsecretsError)) throw error;
      problems.push({
        name: "",
        reference: null,
        file: project.files[0] ?? "",
        line: 0,
        code: error.code,
        message: error.message,
        hint: error.hint,
      });
    }
    problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    return { project: { root: project.root, id, files: project.files }, checked: project.variables.size, problems };
  }

  async list(request: { cwd: string; env?: string }): Promise<ListResponse> {
    const project = await this.deps.projects.load(request.cwd, request.env ?? DEFAULT_ENV);
    const id = await this.deps.projectId(project.root);
    const trust = this.deps.trust?.(project.root) ?? TRUSTED;
    const variables = [...project.variables.values()].map((d) => {
      const withheld = withholdReason(d.name, trust, d.reference ?? null);
      return {
        name: d.name,
        source: d.reference ? d.reference.scheme : ("literal" as const),
        reference: d.reference ? d.reference.raw : null,
        file: d.file,
        line: d.line,
        ...(withheld ? { withheld } : {}),
      };
    });
    return { project: { root: project.root, id, files: project.files }, variables, trusted: trust.trusted };
  }

  #provider(definition: Definition): Provider {
    return this.deps.providers[(definition.reference as NonNullable<Definition["reference"]>).scheme];
  }

  #context(
    session: ServingSession,
    environ: Readonly<Record<string, string>>,
    env: string,
    projectId: () => string | undefined,
    projectRoot: string,
    notices: Notices,
    definition: Definition,
    trust: TrustVerdict,
  ): ResolveContext {
    const where = whereOf(definition);
    return {
      session,
      environ,
      env,
      // known once resolve() awaited it (keychain:// does, before its provider runs); read earlier, a bug says so
      get projectId(): string {
        const id = projectId();
        if (id === undefined)
          throw new DevsecretsError("DS_INTERNAL", `${where}: the project id was read before it was known`);
        return id;
      },
      projectRoot,
      notices,
      where,
      trust,
    };
  }
}
