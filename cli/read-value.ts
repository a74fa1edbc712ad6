// Reads a secret value for `devsecrets set`: from stdin when it is piped, else from the terminal without echo.
// Rule: never from argv (it would land in shell history and `ps`); never echoed.

import { DevsecretsError } from "../common/errors.js";
import { readPassphrase } from "./prompt/passphrase-input.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

export async function readValue(name: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const value = await readStdin();
    if (value === "")
      throw new DevsecretsError("DS_USAGE", `no value for ${name} on stdin`, {
        hint: `pipe it in: \`pbpaste | devsecrets set ${name}\`, or run on a terminal to type it`,
      });
    return value;
  }
  const { DEVSECRETS_PASSPHRASE_FD: _ignored, ...env } = process.env;
  return (await readPassphrase({ env, prompt: `value for ${name} (not shown): ` })).reveal();
}
