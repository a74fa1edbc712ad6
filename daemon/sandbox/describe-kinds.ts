// `GET /v1/sandbox/kinds` (`devsecrets sandbox kinds`): every kind with its summary, fields and options.
// Rule: descriptions only; listing mints nothing.

import type { KindsResponse } from "../protocol/messages.js";
import { listKinds } from "./registry.js";

export function describeKinds(): KindsResponse {
  return {
    kinds: listKinds().map((kind) => ({
      kind: kind.kind,
      summary: kind.summary,
      fields: [...kind.fields],
      options: Object.fromEntries(Object.entries(kind.options).map(([name, spec]) => [name, spec.description])),
    })),
  };
}
