// Project ids by project root, each computed once for the daemon's life (the id reads the root's git remote).
// Rule: a failed computation is not kept, so the next request computes it again.

import { projectId } from "../session/stores/keychain-names.js";

export function cachedProjectIds(
  compute: (root: string) => Promise<string> = projectId,
): (root: string) => Promise<string> {
  const ids = new Map<string, Promise<string>>();
  return (root) => {
    const cached = ids.get(root);
    if (cached) return cached;
    const id = compute(root);
    ids.set(root, id);
    id.catch(() => ids.delete(root));
    return id;
  };
}
