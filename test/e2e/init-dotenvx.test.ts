// `devsecrets init` on a dotenvx-encrypted file (issue 18): refused with the hint to decrypt first, nothing stored.
// The file is encrypted by the real dotenvx CLI (a devDependency), as a user's would be.

import test from "ava";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, cli, makeWorld, runProcess, type World } from "../helpers/sandbox-env.js";
import { disposeWorld } from "../helpers/daemon-process.js";

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

const DOTENVX = join(REPO_ROOT, "node_modules", ".bin", "dotenvx");

test("init refuses dotenvx ciphertext, names the variables and lines, and stores nothing", async (t) => {
  const project = world.project({ ".env": "PORT=3000\nSTRIPE_SECRET_KEY=sk_live_abcdefghijklmnop1234\n" });
  const encrypted = await runProcess(DOTENVX, ["encrypt", "-f", ".env"], { cwd: project, env: world.env });
  t.is(encrypted.code, 0, encrypted.stderr);
  const text = readFileSync(join(project, ".env"), "utf8");
  t.regex(text, /^STRIPE_SECRET_KEY="?encrypted:/m, "dotenvx wrote ciphertext");

  const result = await cli(world, ["init", "--json"], { cwd: project });
  t.is(result.code, 1, result.stderr);
  const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } };
  t.is(error.code, "DS_INIT_ENCRYPTED");
  t.regex(error.message, /\.env holds dotenvx ciphertext, not values: .*STRIPE_SECRET_KEY \(\.env:\d+\)/);
  t.notRegex(error.message, /encrypted:/);
  t.regex(error.hint, /dotenvx decrypt -f \.env/);
  t.false(existsSync(join(project, "devsecrets.env")), "no references were written");
  t.is(readFileSync(join(project, ".env"), "utf8"), text, "the file is untouched");

  const human = await cli(world, ["init"], { cwd: project });
  t.regex(human.stderr, /^devsecrets: error DS_INIT_ENCRYPTED: /m);
  t.regex(human.stderr, /^devsecrets: hint: decrypt it first with `dotenvx decrypt -f \.env`/m);
});

test("a value that merely starts with the word is refused only in dotenvx's form", async (t) => {
  const project = world.project({ ".env": "NOTE=encrypted: yes, by hand\n" });
  writeFileSync(join(project, ".env"), "NOTE=encrypted: yes, by hand\n");
  const result = await cli(world, ["init", "--json"], { cwd: project, env: { DEVSECRETS_NO_AUTOSTART: "1" } });
  t.not((JSON.parse(result.stdout) as { error?: { code: string } }).error?.code, "DS_INIT_ENCRYPTED");
});
