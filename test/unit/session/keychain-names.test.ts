// Keychain names and project ids: the rules that make `<projectId>/<NAME>` accounts unambiguous.
// Rule: real git repositories in temp folders, no mocked git.

import test from "ava";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDevsecretsError } from "../../../common/errors.js";
import { normaliseRemoteUrl, projectId, validateKeychainName } from "../../../daemon/session/stores/keychain-names.js";
import { keychainError } from "../../../daemon/session/stores/keychain-errors.js";
import type { ErrorCode } from "../../../daemon/protocol/error-codes.js";

test("validateKeychainName returns the NFC form", (t) => {
  t.is(validateKeychainName("API_KEY"), "API_KEY");
  t.is(validateKeychainName("cafe\u0301"), "caf\u00e9");
  t.is(validateKeychainName("x".repeat(128)), "x".repeat(128));
  t.is(validateKeychainName("🔑".repeat(128)), "🔑".repeat(128)); // characters, not UTF-16 units
});

for (const [bad, why] of [
  ["", "is empty"],
  ["a/b", "contains '/'"],
  ["a\0b", "contains NUL"],
  ["a\u001bb", "contains a control character"],
  ["tab\there", "contains a control character"],
  ["a\u0085b", "contains a control character"],
  ["x".repeat(129), "is longer than 128 characters"],
  ["\ud800x", "is not well-formed Unicode"],
] as const) {
  test(`validateKeychainName rejects ${JSON.stringify(bad).slice(0, 30)}`, (t) => {
    const error = t.throws(() => validateKeychainName(bad));
    t.true(isDevsecretsError(error));
    if (!isDevsecretsError(error)) return;
    t.is(error.code, "DS_REF_SYNTAX");
    t.true(error.message.includes(why), error.message);
    t.true(error.hint.includes("128"), error.hint);
  });
}

test("normaliseRemoteUrl: ssh, scp-like, https with credentials and trailing parts agree", (t) => {
  const same = [
    "git@GitHub.com:Acme/App.git",
    "https://github.com/Acme/App",
    "https://user:p%40ss@GitHub.COM/Acme/App.git/",
    "ssh://git@github.com/Acme/App.git",
    "git+ssh://git@github.com/Acme/App/",
    "  https://github.com/Acme/App.git\n",
  ];
  for (const url of same) t.is(normaliseRemoteUrl(url), "github.com/Acme/App", url);
  t.is(normaliseRemoteUrl("ssh://git@host.example:2222/team/repo.git"), "host.example:2222/team/repo");
  t.is(normaliseRemoteUrl("/srv/git/repo.git"), "/srv/git/repo");
  t.is(normaliseRemoteUrl("file:///srv/git/repo.git"), "/srv/git/repo");
  t.not(normaliseRemoteUrl("https://github.com/acme/app"), normaliseRemoteUrl("https://github.com/Acme/App"));
});

function sha16(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function gitRepo(origin?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ds-pid-"));
  execFileSync("git", ["init", "-q", dir]);
  if (origin) execFileSync("git", ["-C", dir, "remote", "add", "origin", origin]);
  return dir;
}

test("projectId hashes the normalised origin URL", async (t) => {
  const a = gitRepo("git@github.com:Acme/App.git");
  const b = gitRepo("https://tok:x@github.com/Acme/App/");
  try {
    const id = await projectId(a);
    t.regex(id, /^[0-9a-f]{16}$/);
    t.is(id, sha16("github.com/Acme/App"));
    t.is(await projectId(b), id);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test("projectId falls back to the real path of the root when there is no origin", async (t) => {
  const repo = gitRepo();
  const plain = mkdtempSync(join(tmpdir(), "ds-pid-plain-"));
  const link = `${plain}-link`;
  symlinkSync(plain, link);
  try {
    t.is(await projectId(repo), sha16(realpathSync(repo)));
    t.is(await projectId(plain), sha16(realpathSync(plain)));
    t.is(await projectId(link), await projectId(plain));
  } finally {
    rmSync(repo, { recursive: true, force: true });
    rmSync(plain, { recursive: true, force: true });
    rmSync(link, { force: true });
  }
});

test("keychain errors: the library's observed messages map to DS_KEYCHAIN_*", (t) => {
  const cases: Array<[string, ErrorCode]> = [
    ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", "DS_KEYCHAIN_LOCKED"],
    ["zbus error: org.freedesktop.Secret.Error.IsLocked: Cannot get secret of a locked object", "DS_KEYCHAIN_LOCKED"],
    [
      "Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory",
      "DS_KEYCHAIN_UNAVAILABLE",
    ],
    [
      "Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files",
      "DS_KEYCHAIN_UNAVAILABLE",
    ],
    ["something new", "DS_KEYCHAIN_UNAVAILABLE"],
  ];
  for (const [message, code] of cases) {
    const error = keychainError(message, "reading keychain://A");
    t.is(error.code, code, message);
    t.false(error.message.includes(message), "the library's text stays in cause");
    t.is((error.cause as Error).message, message);
  }
});
