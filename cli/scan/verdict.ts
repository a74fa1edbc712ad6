// Decides what a rule's hit is: a leak, a harmless sandbox token, or no credential at all, and says why in words.
// Rule: "harmless" needs evidence (served as a fake, the machine's registry, a marker only fakes carry); real wins ties.

import { type MintedRegistry, registryForm } from "../../common/minted-registry.js";
import { placeholderReason } from "./placeholder.js";
import { recogniseSandboxToken } from "./sandbox-recognise.js";
import type { ServedMatcher } from "./served-check.js";

export interface Candidate {
  rule: string;
  /** UTF-16 offset of the secret in the text */
  offset: number;
  secret: string;
  /** what the rule says it is: "Stripe live secret key", or secretlint's message id */
  label: string;
  /** the sandbox kind this is the live form of, "" when none */
  liveFormOf: string;
  /** why the vendor would never have issued it (a checksum fails), or null */
  refuted: string | null;
}

export type Verdict =
  | { outcome: "leak"; kind: string; why: string }
  | { outcome: "sandbox"; sandboxKind: string; why: string }
  | { outcome: "dismissed"; why: string };

export interface Evidence {
  served: ServedMatcher | null;
  registry: MintedRegistry | null;
}

export function judge(candidate: Candidate, evidence: Evidence): Verdict {
  const served = evidence.served?.lookup(candidate.secret);
  if (served === null)
    return {
      outcome: "leak",
      kind: `${candidate.label} (served this session as a real value)`,
      why: "the daemon served this very value this session as a real credential (from a real store, or a sandbox server that enforces it while the session lasts)",
    };
  if (typeof served === "string")
    return { outcome: "sandbox", sandboxKind: served, why: `this session's sandbox minted it (${served})` };
  const registered = evidence.registry?.kindOf(candidate.secret) ?? null;
  if (registered !== null)
    return {
      outcome: "sandbox",
      sandboxKind: registered,
      why: `this machine's sandbox minted it in an earlier session (${registered}); the minted registry holds its fingerprint`,
    };
  const marked = sandboxMarker(candidate.secret);
  if (marked !== null) return { outcome: "sandbox", sandboxKind: marked.kind, why: marked.why };
  if (candidate.refuted !== null) return { outcome: "dismissed", why: `not a credential: ${candidate.refuted}` };
  const pemBody = candidate.secret.startsWith("-----BEGIN ") ? registryForm(candidate.secret) : null;
  // a key's body is base64 (DER); anything else between the armour lines is a note to the reader
  if (pemBody !== null && !/^[A-Za-z0-9+/]{64,}={0,2}$/.test(pemBody))
    return { outcome: "dismissed", why: "not a credential: the block's body is not a key's base64" };
  const placeholder = placeholderReason(registryForm(candidate.secret));
  if (placeholder !== null) return { outcome: "dismissed", why: `not a credential: ${placeholder}` };
  const form = candidate.liveFormOf ? ` (the live form of sandbox kind ${candidate.liveFormOf})` : "";
  return {
    outcome: "leak",
    kind: candidate.liveFormOf ? `${candidate.label} (live form of ${candidate.liveFormOf})` : candidate.label,
    why: `${candidate.rule} matches the format of: ${candidate.label}${form}; no sandbox minted it on this machine and it carries no marker of a fake`,
  };
}

/** a fake's structural marker, seen without any registry */
function sandboxMarker(secret: string): { kind: string; why: string } | null {
  const kind = recogniseSandboxToken(secret);
  if (kind?.startsWith("aws/"))
    return { kind, why: "its key id names AWS's documentation account 123456789012, which owns no real keys" };
  if (kind?.startsWith("stripe/")) return { kind, why: "a Stripe test-mode key: it cannot move money" };
  if (secret.startsWith("eyJ") && jwtSubject(secret) === "devsecrets-sandbox")
    return { kind: "jwt", why: 'a JWT whose subject is "devsecrets-sandbox", the sandbox\'s default claims' };
  return null;
}

function jwtSubject(token: string): unknown {
  const [, payload] = token.split(".");
  try {
    return (JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as { sub?: unknown }).sub;
  } catch {
    return undefined;
  }
}
