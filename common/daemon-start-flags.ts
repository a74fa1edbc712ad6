// The Node flags the daemon runs with: one list, read by every starter (the client, `daemon start`) and by the daemon.
// Rule: `--disable-sigusr1` keeps SIGUSR1 from opening the inspector (any process of the user may send it).

/**
 * --disable-sigusr1: no debugger door (Node 22.14+); --max-semi-space-size=2: a 2 MiB young generation keeps a
 * long-lived, mostly idle daemon ~30 MiB smaller after thousands of requests at the same latency (bench/daemon-edge)
 */
export const DAEMON_START_FLAGS: readonly string[] = ["--disable-sigusr1", "--max-semi-space-size=2"];

/** the start flags that `execArgv` lacks */
export function missingStartFlags(execArgv: readonly string[]): string[] {
  return DAEMON_START_FLAGS.filter((flag) => !execArgv.includes(flag));
}
