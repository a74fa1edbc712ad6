// The protocol and package version exchanged on every connection (X-Devsecrets-Version).
// Rule: bump PACKAGE_VERSION with package.json; a client newer than the daemon restarts it.

export const PACKAGE_VERSION = "0.2.0";
export const API_PREFIX = "/v1";
export const VERSION_HEADER = "x-devsecrets-version";

/** compares dotted numeric versions; returns <0, 0, >0 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split(/[.+-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
