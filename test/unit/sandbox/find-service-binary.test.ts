import test from "ava";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findServiceBinary, postgresLibDirs } from "../../../daemon/sandbox/services/find-binary.js";

const REDIS = { service: "redis", program: "redis-server", install: "apt-get install redis-server" };

function tree(): { root: string; exe(path: string): string; done(): void } {
  const root = mkdtempSync(join(tmpdir(), "ds-find-bin-"));
  return {
    root,
    exe(path) {
      const full = join(root, path);
      mkdirSync(join(full, ".."), { recursive: true });
      writeFileSync(full, "#!/bin/sh\n");
      chmodSync(full, 0o755);
      return full;
    },
    done: () => rmSync(root, { recursive: true, force: true }),
  };
}

test("lookup order: DEVSECRETS_<SERVICE>_BIN, then services.<service>.binary, then PATH", (t) => {
  const dirs = tree();
  try {
    const fromEnv = dirs.exe("env/redis-server");
    const fromConfig = dirs.exe("config-bin/redis-server");
    const onPath = dirs.exe("path/redis-server");
    const config = join(dirs.root, "xdg");
    mkdirSync(join(config, "devsecrets"), { recursive: true });
    writeFileSync(
      join(config, "devsecrets", "config.json"),
      JSON.stringify({ services: { redis: { binary: fromConfig } } }),
    );
    const env = { PATH: join(dirs.root, "path"), XDG_CONFIG_HOME: config, HOME: dirs.root };
    t.is(findServiceBinary(REDIS, { ...env, DEVSECRETS_REDIS_BIN: fromEnv }), fromEnv);
    t.is(findServiceBinary(REDIS, env), fromConfig);
    t.is(findServiceBinary(REDIS, { ...env, XDG_CONFIG_HOME: join(dirs.root, "none") }), onPath);
  } finally {
    dirs.done();
  }
});

test("a missing program is DS_SANDBOX_SERVICE_MISSING naming what to install; a configured path that is not there too", (t) => {
  const env = { PATH: "/nonexistent-ds", HOME: "/nonexistent-ds", XDG_CONFIG_HOME: "/nonexistent-ds" };
  const error = t.throws(() => findServiceBinary(REDIS, env));
  t.is((error as { code?: string }).code, "DS_SANDBOX_SERVICE_MISSING");
  t.regex(String((error as { hint?: string }).hint), /apt-get install redis-server/);
  const configured = t.throws(() =>
    findServiceBinary(REDIS, { ...env, DEVSECRETS_REDIS_BIN: "/nonexistent-ds/redis" }),
  );
  t.regex((configured as Error).message, /DEVSECRETS_REDIS_BIN names \/nonexistent-ds\/redis/);
});

test("the newest /usr/lib/postgresql/<version>/bin comes first (numeric order, not text order)", (t) => {
  const dirs = tree();
  try {
    for (const version of ["9.6", "15", "17", "notaversion"])
      mkdirSync(join(dirs.root, version, "bin"), { recursive: true });
    t.deepEqual(
      postgresLibDirs(dirs.root),
      ["17", "15", "9.6"].map((v) => join(dirs.root, v, "bin")),
    );
  } finally {
    dirs.done();
  }
});
