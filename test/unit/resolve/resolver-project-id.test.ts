// The resolver does not hold every provider behind the project's id (a `git` process at a project's first resolve):
// keychain:// waits for it, the others resolve meanwhile (issue 17's cold start).
// Rule: the real resolver and project files; the id is a promise the test releases, the providers record what they saw.

import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret } from "../../../common/secret.js";
import { ProjectFiles } from "../../../daemon/resolve/project-files.js";
import type { Provider, ResolveContext } from "../../../daemon/resolve/provider.js";
import { REFERENCE_SCHEMES, type ReferenceScheme } from "../../../daemon/resolve/reference.js";
import { Resolver } from "../../../daemon/resolve/resolver.js";
import { ServingSession } from "../../../daemon/session/serving-session.js";

test("sandbox:// resolves while the project id is still being computed; keychain:// gets the id once it is known", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-resolver-"));
  try {
    writeFileSync(join(dir, "devsecrets.env"), "S=sandbox://uuid\nK=keychain://token\n");
    const calls: string[] = [];
    const seenIds: string[] = [];
    const recording = (scheme: ReferenceScheme): Provider => ({
      async resolve(_ref, context: ResolveContext) {
        calls.push(scheme);
        if (scheme === "keychain") seenIds.push(context.projectId);
        return new Secret(`${scheme}-value`);
      },
    });
    const providers = Object.fromEntries(REFERENCE_SCHEMES.map((s) => [s, recording(s)])) as Record<
      ReferenceScheme,
      Provider
    >;
    let release: (id: string) => void = () => {};
    const id = new Promise<string>((resolve) => {
      release = resolve;
    });
    const session = new ServingSession("anonymous");
    const resolver = new Resolver({
      projects: new ProjectFiles(),
      providers,
      projectId: () => id,
      session: () => session,
    });
    const answer = resolver.resolve({ cwd: dir });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // on the landed resolver nothing ran until the id was known
    t.deepEqual(calls, ["sandbox"], "sandbox:// ran; keychain:// waits for the id");
    release("project-id-1");
    const done = await answer;
    t.deepEqual(calls, ["sandbox", "keychain"]);
    t.deepEqual(seenIds, ["project-id-1"]);
    t.is(done.project?.id, "project-id-1");
    t.deepEqual(done.variables, { S: "sandbox-value", K: "keychain-value" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
