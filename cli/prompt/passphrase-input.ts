// Reads the file store's passphrase in the CLI process: from DEVSECRETS_PASSPHRASE_FD, else from the terminal without echo.
// Rule: nothing typed is echoed (not even '*'); the passphrase exists only as a Secret once read.

import { openSync, closeSync, createReadStream } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import { DevsecretsError } from "../../common/errors.js";
import { readString } from "../../common/environment.js";
import { Secret } from "../../common/secret.js";

export interface ReadPassphraseOptions {
  env?: NodeJS.ProcessEnv;
  prompt?: string;
  /** the terminal to prompt on (default /dev/tty) */
  ttyPath?: string;
}

/** proposed: DS_CANCELLED (exit 130); until the table has it, a usage error the CLI can recognise by this flag */
export class PassphraseCancelled extends DevsecretsError {
  readonly cancelled = true;
  constructor() {
    super("DS_CANCELLED", "passphrase entry cancelled", { hint: "run the command again when you have the passphrase" });
  }
}

export async function readPassphrase(options: ReadPassphraseOptions = {}): Promise<Secret> {
  const env = options.env ?? process.env;
  const fdText = readString(env, "DEVSECRETS_PASSPHRASE_FD");
  const value =
    fdText !== undefined
      ? await readFd(fdText)
      : await readTty(options.ttyPath ?? "/dev/tty", options.prompt ?? "Passphrase: ");
  if (value.length === 0)
    throw new DevsecretsError("DS_USAGE", "the passphrase is empty", {
      hint: "choose a passphrase of at least one character",
    });
  return new Secret(value);
}

async function readFd(fdText: string): Promise<string> {
  const fd = /^\d+$/.test(fdText) ? Number(fdText) : NaN;
  if (!Number.isSafeInteger(fd) || fd < 3) {
    throw new DevsecretsError(
      "DS_USAGE",
      `DEVSECRETS_PASSPHRASE_FD=${JSON.stringify(fdText.slice(0, 16))} is not a file descriptor number`,
      {
        hint: "set it to an open descriptor of 3 or more, e.g. `DEVSECRETS_PASSPHRASE_FD=3 devsecrets login --store file 3<passfile`",
      },
    );
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of createReadStream("", { fd, autoClose: true })) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new DevsecretsError(
      "DS_USAGE",
      `cannot read the passphrase from descriptor ${fd} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        hint: "open the descriptor for reading before the command starts, e.g. `3<passfile`",
      },
    );
  }
  const all = Buffer.concat(chunks);
  const text = all.toString("utf8");
  all.fill(0);
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

function readTty(path: string, prompt: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch {
    throw new DevsecretsError("DS_USAGE", "no terminal to read the passphrase from", {
      hint: "run on a terminal, or pass the passphrase on a descriptor: `DEVSECRETS_PASSPHRASE_FD=3 devsecrets ... 3<passfile`",
    });
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  return new Promise<string>((resolve, reject) => {
    let typed: string[] = [];
    const finish = (error: Error | null): void => {
      input.off("data", onData);
      input.setRawMode(false);
      output.write("\n");
      input.destroy();
      output.destroy();
      try {
        closeSync(fd);
      } catch {
        // the tty streams already closed it
      }
      const value = typed.join("");
      typed = [];
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish(null);
        if (ch === "\u0003") return finish(new PassphraseCancelled()); // Ctrl-C
        if (ch === "\u0004") {
          if (typed.length === 0) return finish(new PassphraseCancelled()); // Ctrl-D on an empty line
          continue;
        }
        if (ch === "\u007f" || ch === "\b") typed.pop();
        else if (ch === "\u0015")
          typed = []; // Ctrl-U
        else if (ch >= " ") typed.push(ch);
      }
    };
    input.setRawMode(true);
    output.write(prompt);
    input.on("data", onData);
  });
}
