// Installs and removes the pre-commit hook that runs `devsecrets scan --staged`; an existing hook is chained, never lost.
// Rule: install moves the user's hook aside and runs it first; uninstall puts back exactly what was there (same file, same mode).

import { existsSync, realpathSync } from "node:fs";
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DevsecretsError } from "../../common/errors.js";
import { gitText } from "../scan/git.js";

export const HOOK_MARKER = "# devsecrets-hook v1";
export const CHAINED_SUFFIX = ".devsecrets-chained";

export interface HookPaths {
  hook: string;
  chained: string;
}

export interface HookChange {
  hook: string;
  /** install: an existing hook now runs first; uninstall: the user's hook is back */
  chained: boolean;
  changed: boolean;
}

/** the hooks folder git uses here: core.hooksPath when set, else .git/hooks (worktrees included) */
export async function hookPaths(cwd: string): Promise<HookPaths> {
  const path = await gitText(cwd, ["rev-parse", "--git-path", "hooks"]);
  if (path === null) {
    throw new DevsecretsError("DS_USAGE", `${cwd} is not in a git repository`, {
      hint: "run `devsecrets hook install` inside the repository",
    });
  }
  const dir = resolve(cwd, path);
  return { hook: join(dir, "pre-commit"), chained: join(dir, `pre-commit${CHAINED_SUFFIX}`) };
}

/** node and the devsecrets entry of this very install, so the hook works without devsecrets on PATH */
export function cliCommand(): [string, string] {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/cli/hook/ -> package root
  const bin = resolve(here, "../../../bin/devsecrets.js");
  return [process.execPath, existsSync(bin) ? bin : realpathSync(process.argv[1] as string)];
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function hookScript(node: string, bin: string): string {
  return `#!/bin/sh
${HOOK_MARKER}: written by \`devsecrets hook install\`; \`devsecrets hook uninstall\` restores what was here.
# It blocks a commit whose staged files hold a secret. To commit once without the check: git commit --no-verify
chained="$(dirname "$0")/pre-commit${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then
  "$chained" "$@" || exit $?
fi
${shellQuote(node)} ${shellQuote(bin)} scan --staged
status=$?
if [ "$status" -ne 0 ]; then
  echo "devsecrets: commit blocked: fix the findings above, or bypass this check once with: git commit --no-verify" >&2
fi
exit "$status"
`;
}

async function isOurs(path: string): Promise<boolean | null> {
  try {
    return (await readFile(path, "utf8")).includes(HOOK_MARKER);
  } catch {
    return null;
  }
}

export async function installHook(cwd: string): Promise<HookChange> {
  const paths = await hookPaths(cwd);
  await mkdir(dirname(paths.hook), { recursive: true });
  const [node, bin] = cliCommand();
  const script = hookScript(node, bin);
  const ours = await isOurs(paths.hook);
  if (ours === false) {
    if (existsSync(paths.chained)) {
      throw new DevsecretsError(
        "DS_USAGE",
        `both ${paths.hook} and ${paths.chained} exist; devsecrets will not overwrite either`,
        {
          hint: "merge or remove one of them by hand, then run `devsecrets hook install` again",
        },
      );
    }
  }
  // our script is complete on disk before the user's hook moves: a stop half way loses nothing
  const temp = `${paths.hook}.devsecrets-tmp-${process.pid}`;
  await writeFile(temp, script, { mode: 0o755 });
  await chmod(temp, 0o755);
  if (ours === false) await rename(paths.hook, paths.chained);
  const previous = ours === true ? await readFile(paths.hook, "utf8") : null;
  await rename(temp, paths.hook);
  return { hook: paths.hook, chained: existsSync(paths.chained), changed: previous !== script };
}

export async function uninstallHook(cwd: string): Promise<HookChange> {
  const paths = await hookPaths(cwd);
  const ours = await isOurs(paths.hook);
  if (ours === false) return { hook: paths.hook, chained: false, changed: false };
  if (ours === true) await rm(paths.hook);
  const chained = existsSync(paths.chained);
  if (chained) await rename(paths.chained, paths.hook);
  return { hook: paths.hook, chained, changed: ours === true || chained };
}
