// `devsecrets sandbox mint KIND` and `sandbox kinds`: stand-in credentials on demand.
// Rule: mint always mints anew; the value is printed because the user asked for it.

import { Command } from "commander";
import { DevsecretsError } from "../../common/errors.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson } from "../output.js";
import { sandboxJwksCommand } from "./sandbox-jwks.js";
import { sandboxRotateCommand, sandboxServicesCommand } from "./sandbox-services.js";

function parseClaims(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch {
    throw new DevsecretsError("DS_USAGE", "--claims is not valid JSON", {
      hint: `pass an object, e.g. --claims '{"sub":"alice"}'`,
    });
  }
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
    throw new DevsecretsError("DS_USAGE", "--claims must be a JSON object", {
      hint: `e.g. --claims '{"sub":"alice"}'`,
    });
  }
  return claims as Record<string, unknown>;
}

export function sandboxCommand(): Command {
  const sandbox = new Command("sandbox").description("mint format-faithful stand-in credentials for offline dev");
  sandbox
    .command("mint")
    .description("mint a new sandbox credential of a kind")
    .argument("<kind>", "KIND[/VARIANT][?opts], e.g. stripe/secret-key or random/password?length=40")
    .option("--claims <json>", "JWT claims, for jwt/* kinds")
    .option("--json", "print {kind, reference, value|fields}")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets sandbox mint github/pat
  $ devsecrets sandbox mint aws/access-key --json
  $ devsecrets sandbox mint jwt/rs256 --claims '{"sub":"alice","role":"admin"}'`,
    )
    .action(async (kind: string, options: JsonOption & { claims?: string }) => {
      const claims = parseClaims(options.claims);
      const minted = await daemonClient().mint({ kind, ...(claims ? { claims } : {}) });
      if (options.json) return printJson(minted);
      if ("value" in minted) process.stdout.write(`${minted.value}\n`);
      else for (const [name, value] of Object.entries(minted.fields)) process.stdout.write(`${name}=${value}\n`);
    });
  sandbox
    .command("kinds")
    .description("list the sandbox kinds, their fields and options")
    .option("--json", "print the list as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets sandbox kinds`,
    )
    .action(async (options: JsonOption) => {
      const { kinds } = await daemonClient().kinds();
      if (options.json) return printJson({ kinds });
      const width = Math.max(...kinds.map((k) => k.kind.length));
      for (const k of kinds) {
        const fields = k.fields.length > 1 ? `  #${k.fields.join(" #")}` : "";
        const options = Object.keys(k.options).length > 0 ? `  ?${Object.keys(k.options).join("&")}` : "";
        process.stdout.write(`${k.kind.padEnd(width)}  ${k.summary}${fields}${options}\n`);
      }
    });
  sandbox.addCommand(sandboxJwksCommand());
  sandbox.addCommand(sandboxServicesCommand());
  sandbox.addCommand(sandboxRotateCommand());
  return sandbox;
}
