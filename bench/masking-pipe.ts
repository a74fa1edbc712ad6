// A helper process for bench/masking.bench.ts: `cat FILE` as a child, its output to our stdout, plain or masked.
// usage: node dist/bench/masking-pipe.js plain|masked FILE [values]   (masked: `values` random served values, 50 by default)

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { runMaskedChild } from "../cli/run/masked-child.js";

const [mode, file, count = "50"] = process.argv.slice(2);
if (mode === "masked") {
  const secrets = Array.from({ length: Number(count) }, (_, i) => ({
    name: `SECRET_${i}`,
    value: randomBytes(24).toString("base64url"),
  }));
  process.exitCode = await runMaskedChild({ command: "cat", args: [file!], env: process.env, secrets });
} else {
  // what a Node wrapper without masking does when it must see the output: data events written on
  const child = spawn("cat", [file!], { stdio: ["inherit", "pipe", "inherit"] });
  child.stdout.on("data", (chunk: Buffer) => {
    if (!process.stdout.write(chunk)) {
      child.stdout.pause();
      process.stdout.once("drain", () => child.stdout.resume());
    }
  });
  child.once("close", (code) => {
    process.exitCode = code ?? 1;
  });
}
