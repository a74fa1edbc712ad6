// `devsecrets run` with masking: the child's output passes through a masker on its way to ours; on a terminal, under a pty.
// Rule: never writes a served value to our stdout or stderr; the child's exit code and death by signal pass through unchanged.

import { spawn } from "node:child_process";
import { constants } from "node:os";
import { DevsecretsError } from "../../common/errors.js";
import { compileMask, createMasker } from "../../common/masking/masker.js";
import type { MaskSecret } from "../../common/masking/mask-patterns.js";
import { maskedOutput } from "./masked-output.js";

export interface MaskedChild {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  secrets: MaskSecret[];
}

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;
// a variable, not a literal: the bundler keeps it a runtime import, loaded only when our stdout is a terminal
const PTY_MODULE = "@lydell/node-pty";

/** resolves with run's exit code; a child killed by a signal makes this process die by the same signal */
export function runMaskedChild(child: MaskedChild): Promise<number> {
  return process.stdout.isTTY ? underPty(child) : throughPipes(child);
}

async function throughPipes({ command, args, env, secrets }: MaskedChild): Promise<number> {
  const child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"], env });
  const unforward = forwardSignals((signal) => child.kill(signal));
  // built while the child starts; no output can be read before this synchronous step ends
  const compiled = compileMask(secrets);
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    const output = maskedOutput(createMasker(compiled), to, () => from.destroy());
    from.on("data", (chunk: Buffer) => {
      if (!output.write(chunk)) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    });
    from.once("end", () => output.end());
  }
  return new Promise((resolve, reject) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      unforward();
      reject(new DevsecretsError("DS_CHILD_SPAWN", `could not start ${command} (${error.code ?? "error"})`));
    });
    // close, not exit: every byte the child wrote has been masked and written by then
    child.once("close", (code, signal) => {
      unforward();
      resolve(passOn(code, signal));
    });
  });
}

interface Pty {
  onData(listener: (data: Buffer | string) => void): unknown;
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string | Buffer): void;
  resize(columns: number, rows: number): void;
  kill(signal?: string): void;
}

async function underPty({ command, args, env, secrets }: MaskedChild): Promise<number> {
  type PtyModule = { spawn: (file: string, args: string[], options: object) => Pty };
  const loaded = (await import(PTY_MODULE)) as PtyModule & { default?: PtyModule };
  const nodePty = loaded.default ?? loaded;
  let pty: Pty;
  try {
    pty = nodePty.spawn(command, args, {
      name: env.TERM ?? "xterm-256color",
      cols: process.stdout.columns || 80,
      rows: process.stdout.rows || 24,
      cwd: process.cwd(),
      env,
      encoding: null,
    });
  } catch (error) {
    throw new DevsecretsError(
      "DS_CHILD_SPAWN",
      `could not start ${command} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  // one stream: the pty merges the child's stdout and stderr, as a terminal shows them; built while the child starts
  const output = maskedOutput(createMasker(secrets), process.stdout, () => pty.kill("SIGHUP"));
  pty.onData((data) => output.write(typeof data === "string" ? Buffer.from(data) : data));

  const stdin = process.stdin;
  const raw = stdin.isTTY === true;
  // raw: keys (Ctrl-C included) go to the pty, whose own line discipline turns them into signals for the child
  if (raw) stdin.setRawMode(true);
  const onInput = (data: Buffer) => pty.write(data);
  // input from a file or pipe ends with an end-of-file character for the pty
  const onInputEnd = () => pty.write("\x04");
  stdin.on("data", onInput);
  stdin.once("end", onInputEnd);
  const onResize = () => pty.resize(process.stdout.columns || 80, process.stdout.rows || 24);
  process.stdout.on("resize", onResize);
  const unforward = forwardSignals((signal) => pty.kill(signal));

  return new Promise((resolve) => {
    // node-pty reports the exit after the pty's last output has been read
    pty.onExit(({ exitCode, signal }) => {
      output.end();
      unforward();
      process.stdout.off("resize", onResize);
      stdin.off("data", onInput);
      stdin.off("end", onInputEnd);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      resolve(passOn(exitCode, signal ? signalName(signal) : null));
    });
  });
}

function forwardSignals(send: (signal: NodeJS.Signals) => void): () => void {
  const handlers = FORWARDED.map((signal) => [signal, () => send(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

function passOn(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) {
    // die of the same signal, so the caller's shell sees what the child did
    process.kill(process.pid, signal);
    return 128 + (constants.signals[signal] ?? 1);
  }
  return code ?? 1;
}

function signalName(number: number): NodeJS.Signals | null {
  const found = Object.entries(constants.signals).find(([, n]) => n === number);
  return found ? (found[0] as NodeJS.Signals) : null;
}
