// The environment a started daemon gets: an allow-list, never the starter's whole environment (its secrets).
// Rule: one list for every starter (the client's autostart, `daemon start`, and the daemon's own --daemonize).

const ALLOWED =
  /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|XDG_[A-Z_]+|DBUS_SESSION_BUS_ADDRESS|DEVSECRETS_[A-Z_]+|VAULT_ADDR|BAO_ADDR|VAULT_NAMESPACE|VAULT_CACERT)$/;
// never handed to the daemon even though they match the prefix: they are inputs of the CLI, not settings
const DENIED = new Set(["DEVSECRETS_PASSPHRASE_FD"]);

export function daemonEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && ALLOWED.test(name) && !DENIED.has(name)) out[name] = value;
  }
  return out;
}
