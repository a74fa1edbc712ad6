// The page's calls to its own daemon: the snapshot, the trust listing, and actions (JSON, with the CSRF header).
// Rule: same origin only (the CSP's connect-src 'self'); errors come back as {code, message, hint}.

import type { UiSnapshot, UiTrustListing } from "../../protocol/ui-snapshot.js";

export interface ApiError {
  code: string;
  message: string;
  hint: string;
}

export class ActionFailed extends Error {
  constructor(readonly body: ApiError) {
    super(body.message);
  }
}

let csrf = "";

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: ApiError };
  if (!response.ok)
    throw new ActionFailed(body.error ?? { code: `HTTP ${response.status}`, message: "the daemon refused", hint: "" });
  return body as T;
}

export async function fetchSnapshot(): Promise<UiSnapshot> {
  const snapshot = await answer<UiSnapshot>(await fetch("/api/snapshot", { credentials: "same-origin" }));
  csrf = snapshot.csrf;
  return snapshot;
}

export async function fetchTrust(root: string): Promise<UiTrustListing> {
  return answer(await fetch(`/api/trust?root=${encodeURIComponent(root)}`, { credentials: "same-origin" }));
}

export async function postAction(name: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(`/api/actions/${name}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Devsecrets-CSRF": csrf },
    body: JSON.stringify(body),
  });
  return answer(response);
}
