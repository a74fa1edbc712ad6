// The PostgreSQL admin URL's settings files (user config.json, the project's devsecrets.json) are read bounded and
// without blocking. Rule: a FIFO or /dev/zero in their place counts as no setting, at once, in a real child process.

import test from "ava";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

const MODULE = pathToFileURL(join(REPO_ROOT, "dist", "daemon", "sandbox", "postgres", "admin-url.js")).href;

/** asks adminUrlConfigured in a child (a blocking read would hang this test's process otherwise) */
function configuredIn(projectRoot: string, configHome: string): { status: number | null; out: string } {
  const script = `const m = await import(${JSON.stringify(MODULE)}); process.stdout.write(String(m.adminUrlConfigured({ env: { XDG_CONFIG_HOME: ${JSON.stringify(configHome)} }, projectRoot: ${JSON.stringify(projectRoot)} })));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    timeout: 20_000,
    encoding: "utf8",
  });
  return { status: child.status, out: child.stdout };
}

for (const kind of ["fifo", "/dev/zero"] as const) {
  test(`a devsecrets.json that is ${kind === "fifo" ? "a FIFO" : "a link to /dev/zero"} is no setting, answered at once`, (t) => {
    const root = mkdtempSync(join(tmpdir(), "ds-admin-url-"));
    try {
      const project = join(root, "project");
      execFileSync("mkdir", ["-p", project, join(root, "config", "devsecrets")]);
      if (kind === "fifo") execFileSync("mkfifo", [join(project, "devsecrets.json")]);
      else symlinkSync("/dev/zero", join(project, "devsecrets.json"));
      symlinkSync("/dev/zero", join(root, "config", "devsecrets", "config.json"));
      // the landed code blocked on the FIFO's open and read /dev/zero without end: the child was killed at 20 s
      t.deepEqual(configuredIn(project, join(root, "config")), { status: 0, out: "false" });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}
