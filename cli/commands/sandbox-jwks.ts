// `devsecrets sandbox jwks [--serve] [--port N] [--json]`: the session's public JWT keys, or a loopback URL serving them.
// Rule: public keys only; the URL is bound to 127.0.0.1 and closes at logout or daemon stop.

import { Command, Option } from "commander";
import { withVariable } from "../options.js";
import { DevsecretsError } from "../../common/errors.js";
import { daemonClient, type JsonOption } from "../context.js";
import { printJson, say } from "../output.js";

interface JwksOptions extends JsonOption {
  serve?: boolean;
  port?: string;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new DevsecretsError("DS_USAGE", `--port must be a number from 0 to 65535`);
  return port;
}

export function sandboxJwksCommand(): Command {
  return new Command("jwks")
    .description("print the session's JWKS (public keys of jwt/rs256 and jwt/es256), or serve it on 127.0.0.1")
    .addOption(
      withVariable(
        new Option("--serve", "serve it at http://127.0.0.1:<port>/.well-known/jwks.json and print the URL"),
        "DEVSECRETS_JWKS_SERVE",
      ),
    )
    .addOption(
      withVariable(
        new Option("--port <port>", "the loopback port for --serve (default: a free one)"),
        "DEVSECRETS_JWKS_PORT",
      ),
    )
    .option("--json", "print JSON ({keys} or {url})")
    .addHelpText(
      "after",
      `
Examples:
  $ devsecrets sandbox jwks > jwks.json
  $ devsecrets sandbox jwks --serve            # http://127.0.0.1:41234/.well-known/jwks.json`,
    )
    .action(async (options: JwksOptions) => {
      const client = daemonClient();
      if (options.serve) {
        const port = parsePort(options.port);
        const served = await client.serveJwks(port === undefined ? {} : { port });
        if (options.json) return printJson(served);
        process.stdout.write(`${served.url}\n`);
        return;
      }
      if (options.port !== undefined) throw new DevsecretsError("DS_USAGE", "--port goes with --serve");
      const jwks = await client.jwks();
      printJson(jwks);
      if (!options.json && jwks.keys.length === 0)
        say("no keys yet: the session makes one at its first jwt/rs256 or jwt/es256 mint");
    });
}
