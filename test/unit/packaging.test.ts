// One version everywhere (issue 18): package.json's, the protocol header's, the Go and Python shims', and the
// version= line bin/devsecrets compares a platform package's launcher against (a stale line would send every
// installed `run` to Node).

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/sandbox-env.js";
import { PACKAGE_VERSION } from "../../daemon/protocol/version.js";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const version = (JSON.parse(read("package.json")) as { version: string }).version;

test("every copy of the version is package.json's", (t) => {
  t.is(PACKAGE_VERSION, version);
  t.is(/^version=(\S+)$/m.exec(read("bin/devsecrets"))?.[1], version, "bin/devsecrets");
  t.is(/^const Version = "([^"]+)"$/m.exec(read("shims/go/transport.go"))?.[1], version, "shims/go/transport.go");
  t.is(/^VERSION = "([^"]+)"$/m.exec(read("shims/python/devsecrets/_transport.py"))?.[1], version, "_transport.py");
  t.is(/^version = "([^"]+)"$/m.exec(read("shims/python/pyproject.toml"))?.[1], version, "pyproject.toml");
  const lock = JSON.parse(read("package-lock.json")) as { version: string; packages: { "": { version: string } } };
  t.is(lock.version, version, "package-lock.json");
  t.is(lock.packages[""].version, version, "package-lock.json's root package");
});

test("CHANGELOG.md opens with this version", (t) => {
  t.regex(read("CHANGELOG.md"), new RegExp(`^# Changelog\\n[\\s\\S]*?\\n## ${version.replaceAll(".", "\\.")} `));
});
