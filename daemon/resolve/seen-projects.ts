// The projects this session resolved for, as the dashboard lists them: per variable how often and when it was
// served, per project whether the last resolve succeeded (its code and hint when not).
// Rule: names, counts, times and error codes only, never a value; forgotten at the wipe with the session.

export interface VariableUse {
  served: number;
  lastServedAt: string;
}

export interface LastResolve {
  at: string;
  ok: boolean;
  code?: string;
  message?: string;
  hint?: string;
}

export interface SeenProject {
  root: string;
  id: string | null;
  /** the env overlay the last resolve asked for */
  env: string;
  last: LastResolve;
  variables: Map<string, VariableUse>;
}

export class SeenProjects {
  readonly #byRoot = new Map<string, SeenProject>();

  /** a resolve of `root` answered `names` */
  served(root: string, id: string, env: string, names: readonly string[], now = new Date()): void {
    const project = this.#project(root, env);
    project.id = id;
    const at = now.toISOString();
    project.last = { at, ok: true };
    for (const name of names) {
      const use = project.variables.get(name);
      if (use) {
        use.served++;
        use.lastServedAt = at;
      } else project.variables.set(name, { served: 1, lastServedAt: at });
    }
  }

  /** a resolve of `root` (the caller's cwd when no project could be loaded) failed */
  failed(root: string, env: string, error: { code: string; message: string; hint: string }, now = new Date()): void {
    const project = this.#project(root, env);
    project.last = { at: now.toISOString(), ok: false, code: error.code, message: error.message, hint: error.hint };
  }

  list(): SeenProject[] {
    return [...this.#byRoot.values()];
  }

  clear(): void {
    this.#byRoot.clear();
  }

  #project(root: string, env: string): SeenProject {
    let project = this.#byRoot.get(root);
    if (!project) {
      project = { root, id: null, env, last: { at: new Date().toISOString(), ok: true }, variables: new Map() };
      this.#byRoot.set(root, project);
    }
    project.env = env;
    return project;
  }
}
