// Reads the daemon's answer to any route: the route's JSON on a 2xx, else the failure its `{error}` body names.
// Rule: the one decoder of every Node caller (DaemonClient, both preloads); no imports and no I/O, so the preloads
// carry it at no cost; a code is passed through as the daemon sent it, and the caller decides what it may trust.

/** a failure as every shim reports it (the Python and Go shims fill the same hints) */
export interface Failure {
  code: string;
  message: string;
  hint: string;
}

export type Outcome<T> = { ok: true; answer: T } | { ok: false; error: Failure };

export function readAnswer<T>(response: { status: number; body: string }): Outcome<T> {
  let parsed: { error?: { code?: unknown; message?: unknown; hint?: unknown } } | null;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    return {
      ok: false,
      error: {
        code: "DS_INTERNAL",
        message: `the daemon answered with status ${response.status} and a body that is not JSON`,
        hint: "see the daemon log (devsecrets doctor prints where it is)",
      },
    };
  }
  if (response.status >= 200 && response.status < 300) return { ok: true, answer: parsed as T };
  const error = parsed?.error ?? {};
  return {
    ok: false,
    error: {
      code: typeof error.code === "string" ? error.code : "DS_INTERNAL",
      message: typeof error.message === "string" ? error.message : `the daemon answered with status ${response.status}`,
      hint: typeof error.hint === "string" ? error.hint : "see docs/errors.md",
    },
  };
}
