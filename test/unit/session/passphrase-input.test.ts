// readPassphrase: from DEVSECRETS_PASSPHRASE_FD, and from a real pseudo-terminal without echo.
// Rule: real child processes and a real pty (python3's pty module); the typed passphrase must never come back as output.

import test from "ava";
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("../../fixtures/session-stores/read-passphrase.js", import.meta.url));
// the .py file is not compiled: it stays in the source tree (dist/test/unit/session -> repo root is four up)
const PTY = fileURLToPath(new URL("../../../../test/fixtures/session-stores/pty-run.py", import.meta.url));

function sha(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function viaFd(input: string, fdValue = "3"): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DEVSECRETS_PASSPHRASE_FD: fdValue };
    const child = spawn(process.execPath, [FIXTURE], { env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("exit", () => resolve(out.trim()));
    const fd3 = child.stdio[3] as NodeJS.WritableStream;
    // a child that refuses the descriptor exits without reading it: the write then fails, which is expected
    fd3.on("error", () => undefined);
    fd3.end(input);
  });
}

test("passphrase from DEVSECRETS_PASSPHRASE_FD: read to EOF, one trailing newline stripped", async (t) => {
  t.is(await viaFd("open sesame\n"), `ok 11 ${sha("open sesame")}`);
  t.is(await viaFd("open sesame\r\n"), `ok 11 ${sha("open sesame")}`);
  t.is(await viaFd("two lines\nkept\n\n"), `ok 15 ${sha("two lines\nkept\n")}`);
  t.is(await viaFd("no newline"), `ok 10 ${sha("no newline")}`);
  t.is(await viaFd("\n"), "error DS_USAGE false");
  t.is(await viaFd("x", "stdin"), "error DS_USAGE false");
});

function viaPty(keys: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.DEVSECRETS_PASSPHRASE_FD;
    execFile("python3", [PTY, keys, process.execPath, FIXTURE], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new Error(
            "python3 is not installed: apt-get install -y python3 (the terminal tests drive a real pty with it)",
          ),
        );
      } else if (error) reject(new Error(`pty run failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

test("passphrase from the terminal: no echo (not even '*'), backspace edits, Enter ends", async (t) => {
  const out = await viaPty("hunter22\\x7f\\x7fX2\\r");
  t.true(out.includes("Passphrase: "), out);
  t.true(out.includes(`ok 8 ${sha("hunterX2")}`), out);
  t.false(out.includes("hunter"), "typed characters are not echoed");
  t.false(out.includes("*"), "not even as stars");
});

test("passphrase from the terminal: Ctrl-C cancels", async (t) => {
  const out = await viaPty("abc\\x03");
  t.true(out.includes("error DS_CANCELLED true"), out);
  t.false(out.includes("abc"));
});
