// Where sandbox://postgres/role's admin URL comes from (DESIGN "Where credentials may go"): the daemon's environment,
// then the user config, then the project's devsecrets.json (which the trust gate passes only once trusted).
// Rule: real files; no server is dialled (the URL is only chosen).

import test from "ava";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findAdminUrl } from "../../../../daemon/sandbox/postgres/admin-url.js";

test("the user config's admin URL wins over a project's; the environment wins over both", (t) => {
  const root = mkdtempSync(join(tmpdir(), "ds-admin-url-"));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const config = join(root, "config");
  const project = join(root, "project");
  mkdirSync(join(config, "devsecrets"), { recursive: true });
  mkdirSync(project);
  writeFileSync(
    join(project, "devsecrets.json"),
    JSON.stringify({ postgres: { adminUrl: "postgres://them@127.0.0.1:5433/x" } }),
  );
  const env = { XDG_CONFIG_HOME: config, HOME: root };
  t.is(findAdminUrl({ env, projectRoot: project }).url, "postgres://them@127.0.0.1:5433/x");
  writeFileSync(
    join(config, "devsecrets", "config.json"),
    JSON.stringify({ postgres: { adminUrl: "postgres://me@127.0.0.1:5432/postgres" } }),
  );
  const fromUser = findAdminUrl({ env, projectRoot: project });
  t.is(fromUser.url, "postgres://me@127.0.0.1:5432/postgres");
  t.is(fromUser.source, join(config, "devsecrets", "config.json"));
  const fromEnv = findAdminUrl({
    env: { ...env, DEVSECRETS_PG_ADMIN_URL: "postgres://env@127.0.0.1:5434/postgres" },
    projectRoot: project,
  });
  t.is(fromEnv.source, "DEVSECRETS_PG_ADMIN_URL");
});
