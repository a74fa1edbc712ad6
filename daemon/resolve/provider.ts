// The resolver's contract with its providers: one module per reference scheme (daemon/providers/) implements it.
// Rule: a provider knows nothing of HTTP; it returns a Secret or throws a DevsecretsError naming the reference.

import type { Secret } from "../../common/secret.js";
import type { Reference } from "./reference.js";
import type { ServingSession } from "../session/serving-session.js";
import type { Notice } from "../protocol/messages.js";

export class Notices {
  readonly #seen = new Set<string>();
  readonly list: Notice[] = [];

  add(code: string, message: string): void {
    const key = `${code}\0${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.list.push({ code, message });
  }
}

/** the project's trust as the providers see it (daemon/trust decides it; the resolver passes it on) */
export interface TrustVerdict {
  trusted: boolean;
  /** the DS_PROJECT_UNTRUSTED error for `what` ("devsecrets.env:3: keychain://stripe"), naming what needs trust */
  refuse(what: string): Error;
}

/** the verdict of a resolver without a trust book (unit tests): everything trusted */
export const TRUSTED: TrustVerdict = {
  trusted: true,
  refuse: (what) => new Error(`${what}: refused although trusted`),
};

export interface ResolveContext {
  session: ServingSession;
  /** the caller's environment, for env:// only; never kept */
  environ: Readonly<Record<string, string>>;
  env: string;
  projectId: string;
  projectRoot: string;
  notices: Notices;
  /** "devsecrets.env:4", for messages */
  where: string;
  trust: TrustVerdict;
}

export interface Provider {
  resolve(ref: Reference, context: ResolveContext): Promise<Secret>;
}
