// Runs secretlint's recommended preset over one file's text and returns each secret it found with its offset.
// Rule: secretlint is loaded on first use only (the CLI's other verbs stay fast); the secret text stays in this process.

import type { SecretLintCoreConfig } from "@secretlint/types";

export interface RuleHit {
  rule: string;
  /** the rule's own message id, e.g. "GITHUB_TOKEN", used as the finding's kind */
  messageId: string;
  /** UTF-16 offset of the secret in the text */
  offset: number;
  /** the secret's text, for the sandbox check and the preview only */
  secret: string;
}

type LintSource = typeof import("@secretlint/core")["lintSource"];
let loaded: Promise<{ lintSource: LintSource; all: SecretLintCoreConfig; rest: SecretLintCoreConfig }> | null = null;

/**
 * secretlint's built-in profiler marks every rule run in Node's global performance timeline, keeps every
 * entry, and queues a measure per mark: memory and time that grow with every file of a 10,000-file scan.
 * We never read its figures, so its marks go nowhere and nothing is observed or kept.
 */
function silenceProfiler(profiler: unknown): void {
  const target = profiler as { perf?: unknown; entries?: unknown; measures?: unknown } | undefined;
  if (!target || !Array.isArray(target.entries)) return;
  target.perf = { mark: () => undefined, measure: () => undefined };
  const discard = { push: () => 0, find: () => undefined, length: 0 };
  target.entries = discard;
  target.measures = discard;
}

/** secretlint's rules that cli/scan/live-rules.ts replaces (with vendor checksums and the placeholder filter) */
export const REPLACED_RULES = [
  "@secretlint/secretlint-rule-github",
  "@secretlint/secretlint-rule-npm",
  "@secretlint/secretlint-rule-slack",
  "@secretlint/secretlint-rule-openai",
  "@secretlint/secretlint-rule-sendgrid",
  "@secretlint/secretlint-rule-privatekey",
] as const;

function configOf(creator: unknown, disabled: readonly string[]): SecretLintCoreConfig {
  return {
    rules: [
      {
        id: "@secretlint/secretlint-rule-preset-recommend",
        rule: creator,
        rules: disabled.map((id) => ({ id, disabled: true })),
      },
    ],
  } as SecretLintCoreConfig;
}

function load() {
  loaded ??= Promise.all([
    import("@secretlint/core"),
    import("@secretlint/secretlint-rule-preset-recommend"),
    import("@secretlint/profiler").catch(() => null),
  ]).then(([core, preset, profiler]) => {
    silenceProfiler(profiler?.secretLintProfiler);
    return {
      lintSource: core.lintSource,
      all: configOf(preset.creator, []),
      rest: configOf(preset.creator, REPLACED_RULES),
    };
  });
  return loaded;
}

/** `only: "rest"`: without the rules our own replace (scan); every rule of the preset otherwise (init) */
export async function secretlintHits(text: string, filePath: string, only: "all" | "rest" = "all"): Promise<RuleHit[]> {
  const loadedRules = await load();
  const { lintSource } = loadedRules;
  const config = loadedRules[only];
  const result = await lintSource({ source: { content: text, filePath, contentType: "text" }, options: { config } });
  return result.messages.map((message) => {
    const [from, to] = message.range;
    const data = message.data as { KEY?: unknown } | undefined;
    const key = typeof data?.KEY === "string" ? data.KEY : null;
    // some rules report the range of the whole match (name = value); the KEY they name is the secret itself
    let offset = from;
    let secret = text.slice(from, to);
    if (key) {
      const at = text.indexOf(key, from);
      if (at !== -1) offset = at;
      secret = key;
    }
    return {
      rule: message.ruleId.replace(/^@secretlint\/secretlint-rule-/, "secretlint/"),
      messageId: message.messageId,
      offset,
      secret,
    };
  });
}
