// Turns an existing .env into devsecrets.env references plus keychain items, in an order a re-run always completes.
// Rule: values go only to the daemon; .env is removed only with --remove and after every moved value read back equal.

import { timingSafeEqual } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { DaemonClient } from "../../daemon/client/client.js";
import { DevsecretsError } from "../../common/errors.js";
import { readBoolean, readInteger } from "../../common/environment.js";
import { parseEnvFile, type EnvEntry, type QuoteStyle } from "../../common/env-file-parser.js";
import { secretlintHits } from "../scan/secretlint-check.js";
import { positionOf } from "../scan/finding.js";
import { classify, keychainNameFor } from "./classify.js";
import { mergeEnvText, writeAtomically } from "./env-lines.js";
import { ensureIgnored } from "./gitignore.js";
import { refuseCiphertext } from "./dotenvx-ciphertext.js";
import { storeKeychainValue } from "../keychain-replace.js";

export interface InitVariable {
  name: string;
  /** keychain: stored and referenced; literal: plain config kept as written; kept: devsecrets.env already had a different line */
  decision: "keychain" | "literal" | "kept";
  reference: string | null;
  reason: string;
}

export interface InitReport {
  from: string;
  file: string;
  variables: InitVariable[];
  verified: boolean;
  gitignoreAdded: boolean;
  removed: boolean;
}

export interface InitOptions {
  cwd: string;
  from: string;
  remove: boolean;
  env: NodeJS.ProcessEnv;
  /** replace keychain items that already hold another value (asked on a terminal otherwise) */
  force?: boolean;
}

const HEADER = "# added by `devsecrets init`: secrets live in the keychain (devsecrets set NAME), config stays here";

/** DEVSECRETS_TEST_INIT_CRASH_AFTER=N: die by SIGKILL after the Nth keychain write (only under DEVSECRETS_TEST_HOOKS=1) */
function crashAfter(env: NodeJS.ProcessEnv): number | null {
  const after = readInteger(env, "DEVSECRETS_TEST_INIT_CRASH_AFTER");
  if (after === undefined) return null;
  if (!readBoolean(env, "DEVSECRETS_TEST_HOOKS")) {
    throw new DevsecretsError(
      "DS_USAGE",
      "DEVSECRETS_TEST_INIT_CRASH_AFTER is a test hook and needs DEVSECRETS_TEST_HOOKS=1",
      {
        hint: "unset DEVSECRETS_TEST_INIT_CRASH_AFTER",
      },
    );
  }
  return after;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** the secretlint rule that flagged each entry, by the entry's name */
async function ruleHitsByName(text: string, file: string, entries: readonly EnvEntry[]): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const hit of await secretlintHits(text, file)) {
    const { line } = positionOf(text, hit.offset);
    let owner: EnvEntry | undefined;
    for (const entry of entries) if (entry.line <= line && (!owner || entry.line >= owner.line)) owner = entry;
    if (owner && !byName.has(owner.name)) byName.set(owner.name, hit.messageId);
  }
  return byName;
}

function equalText(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function runInit(client: DaemonClient, options: InitOptions): Promise<InitReport> {
  const crashAt = crashAfter(options.env);
  const fromPath = resolve(options.cwd, options.from);
  const dir = dirname(fromPath);
  const target = join(dir, "devsecrets.env");
  const sourceText = await readOptional(fromPath);
  if (sourceText === null) {
    throw new DevsecretsError("DS_USAGE", `no ${relative(options.cwd, fromPath) || basename(fromPath)} to read`, {
      hint: "give the file with --from PATH",
    });
  }
  refuseCiphertext(parseEnvFile(sourceText, relative(dir, fromPath)), relative(dir, fromPath));
  const status = await client.status();
  if (status.session.kind !== "login") {
    throw new DevsecretsError("DS_SESSION_NONE", "init stores values in the keychain and needs a login", {
      hint: "run `devsecrets login` first, then `devsecrets init` again",
    });
  }
  const fromName = relative(dir, fromPath);
  const entries = parseEnvFile(sourceText, fromName);
  const hits = await ruleHitsByName(sourceText, fromName, entries);
  // the last definition of a name wins, as in dotenv
  const last = new Map(entries.map((e) => [e.name, e]));

  const wanted = new Map<string, { value: string; quote: QuoteStyle }>();
  const decisions = new Map<string, { secret: boolean; reason: string; keychain: string | null }>();
  for (const entry of last.values()) {
    const verdict = classify(entry.name, entry.value, hits.get(entry.name) ?? null, entry.quote);
    const keychain = verdict.secret ? keychainNameFor(entry.name) : null;
    decisions.set(entry.name, { ...verdict, keychain });
    wanted.set(
      entry.name,
      keychain ? { value: `keychain://${keychain}`, quote: "none" } : { value: entry.value, quote: entry.quote },
    );
  }

  // 1. a devsecrets.env must exist so that the daemon scopes the keychain items to this project
  const existing = await readOptional(target);
  if (existing === null) await writeAtomically(target, `${HEADER}\n`);
  // init trusts what it writes, so what was there must be trusted already: a cloned repository's settings are not
  // init's to allow
  const before = await client.trustShow({ cwd: dir });
  if (!before.trusted) {
    throw new DevsecretsError(
      "DS_PROJECT_UNTRUSTED",
      `init would add keychain references to ${before.root}, which you have not trusted (it asks for ${before.items.length} thing${before.items.length === 1 ? "" : "s"})`,
      { hint: "run `devsecrets trust` there first, then `devsecrets init` again" },
    );
  }
  // the placeholder of a run that stopped half way counts as no file
  const base = existing === null || existing.trim() === HEADER ? "" : existing;
  const merged = mergeEnvText(base, parseEnvFile(base, "devsecrets.env"), wanted, HEADER);

  // 2. every value into the keychain first: until devsecrets.env names them, nothing depends on them
  const moved: string[] = [];
  let writes = 0;
  for (const [name, decision] of decisions) {
    if (!decision.keychain) continue;
    if (merged.kept.has(name) && !merged.same.has(name)) continue;
    await storeKeychainValue(
      client,
      { cwd: dir, name: decision.keychain, value: (last.get(name) as EnvEntry).value },
      options.force === true,
    );
    moved.push(name);
    writes++;
    if (crashAt !== null && writes === crashAt) process.kill(process.pid, "SIGKILL");
  }

  // 3. the references, all at once
  if (merged.text !== existing) await writeAtomically(target, merged.text);
  const after = await client.trustShow({ cwd: dir });
  if (!after.trusted) await client.trust({ cwd: dir, digest: after.digest });

  // 4. read every moved value back through the daemon, as an app would get it
  let verified = true;
  if (moved.length > 0) {
    const answer = await client.resolve({ cwd: dir, names: moved, override: true, environ: {} });
    for (const name of moved) {
      const got = answer.variables[name];
      if (got === undefined || !equalText(got, (last.get(name) as EnvEntry).value)) verified = false;
    }
  }
  if (!verified) {
    throw new DevsecretsError(
      "DS_KEYCHAIN_UNAVAILABLE",
      "a value stored in the keychain did not read back equal; the .env file was kept",
      {
        hint: "run `devsecrets check`, then `devsecrets init` again",
      },
    );
  }

  // 5. keep the old file out of git, 6. and remove it only when asked
  const gitignoreAdded = await ensureIgnored(dir, basename(fromPath));
  let removed = false;
  if (options.remove) {
    await rm(fromPath);
    removed = true;
  }
  const variables: InitVariable[] = [...decisions].map(([name, d]) => {
    if (merged.kept.has(name) && !merged.same.has(name))
      return {
        name,
        decision: "kept",
        reference: null,
        reason: "devsecrets.env already defines it; your line was kept",
      };
    return d.keychain
      ? { name, decision: "keychain", reference: `keychain://${d.keychain}`, reason: d.reason }
      : { name, decision: "literal", reference: null, reason: d.reason };
  });
  return {
    from: relative(options.cwd, fromPath),
    file: relative(options.cwd, target),
    variables,
    verified,
    gitignoreAdded,
    removed,
  };
}
