// `devsecrets explain NAME`: where a variable comes from, the project's trust state, whether an answer withholds it
// and why, and the error resolving it gives now: the answer to "why didn't my variable arrive?".
// Rule: never a value; the variable is checked (resolved without answering), not served.

import { Command } from "commander";
import { DevsecretsError } from "../../common/errors.js";
import { envOption } from "../options.js";
import { daemonClient, requestFor, type EnvOption, type JsonOption } from "../context.js";
import { printJson } from "../output.js";

export function explainCommand(): Command {
  return new Command("explain")
    .description("say where a variable comes from, whether the project is trusted, and why it did or did not arrive")
    .argument("<name>", "the variable's name, as in devsecrets.env")
    .addOption(envOption())
    .option("--json", "print the explanation as JSON")
    .addHelpText(
      "after",
      `
Example:
  $ devsecrets explain NODE_OPTIONS`,
    )
    .action(async (name: string, options: Required<EnvOption> & JsonOption) => {
      const client = daemonClient();
      const request = requestFor({ env: options.env, override: true });
      const [listing, trust, check] = await Promise.all([
        client.list({ cwd: request.cwd, env: options.env }),
        client.trustShow({ cwd: request.cwd }),
        client.check(request),
      ]);
      const variable = listing.variables.find((v) => v.name === name);
      if (!variable)
        throw new DevsecretsError("DS_VAR_NOT_FOUND", `${name} is not defined in ${listing.project.files.join(", ")}`);
      const problem = check.problems.find((p) => p.name === name) ?? null;
      const kept = Object.hasOwn(process.env, name);
      const explanation = {
        name,
        file: variable.file,
        line: variable.line,
        source: variable.source,
        reference: variable.reference,
        project: { root: trust.root, id: trust.projectId, trusted: trust.trusted, reason: trust.reason },
        withheld: variable.withheld ?? null,
        keptFromYourEnvironment: kept,
        error: problem ? { code: problem.code, message: problem.message, hint: problem.hint } : null,
      };
      if (options.json) return printJson(explanation);
      const lines = [
        `${name}: ${variable.file}:${variable.line}, ${variable.reference ?? "a literal"} (${variable.source})`,
        `  project ${trust.root}: ${trust.trusted ? "trusted" : "not trusted"} (${trust.reason})`,
        variable.withheld ? `  withheld: ${variable.withheld}; \`devsecrets trust\` allows it` : "  withheld: no",
        kept
          ? "  your environment already sets it: run, env and the shims keep yours unless --override"
          : "  your environment does not set it",
        problem
          ? `  error now: ${problem.code}: ${problem.message}\n    hint: ${problem.hint}`
          : "  error now: none, it resolves",
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}
