// Wraps the resolver's resolve so the session remembers what it served to which project (the dashboard's counts) and
// tells of each failure (`resolve-failed`, with its code, message and hint).
// Rule: names and error codes only; the answer and the error pass through unchanged.

import { DevsecretsError } from "../../common/errors.js";
import type { EventBus } from "../events.js";
import { DEFAULT_ENV, type ResolveRequest, type ResolveResponse } from "../protocol/messages.js";
import type { Caller } from "../audit/caller.js";
import type { ProjectFiles } from "./project-files.js";
import type { SeenProjects } from "./seen-projects.js";

type Resolve = (request: ResolveRequest, caller?: Caller) => Promise<ResolveResponse>;

export function witnessResolves(
  resolve: Resolve,
  deps: { seen: SeenProjects; events: EventBus; projects: ProjectFiles },
): Resolve {
  return async (request, caller) => {
    const env = request.env ?? DEFAULT_ENV;
    try {
      const answer = await resolve(request, caller);
      deps.seen.served(answer.project.root, answer.project.id, env, Object.keys(answer.variables));
      return answer;
    } catch (error) {
      const known =
        error instanceof DevsecretsError ? error : new DevsecretsError("DS_INTERNAL", "the daemon failed to resolve");
      // the project's root when its files still load (a reference failed), else the caller's directory
      const root = await deps.projects.load(request.cwd, env).then(
        (project) => project.root,
        () => null,
      );
      const told = { code: known.code, message: known.message, hint: known.hint };
      deps.seen.failed(root ?? request.cwd, env, told);
      deps.events.publish({ type: "resolve-failed", cwd: request.cwd, root, ...told });
      throw error;
    }
  };
}
