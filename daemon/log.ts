// The daemon's log: one JSON line per event under $XDG_STATE_HOME/devsecrets/daemon.log.
// Rule: never a value; callers pass names, references, counts and codes only, so the API takes no free text from values.

import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type LogFields = Record<string, string | number | boolean | null | string[] | Record<string, number>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  readonly file: string;
}

export function createFileLogger(file: string, mirrorToStderr = false): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const write = (level: string, event: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, pid: process.pid, ...fields });
    try {
      appendFileSync(file, `${line}\n`, { mode: 0o600 });
    } catch {
      // a log that cannot be written must not take the daemon down
    }
    if (mirrorToStderr) process.stderr.write(`devsecrets: ${level} ${event} ${JSON.stringify(fields)}\n`);
  };
  return {
    file,
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
  };
}
