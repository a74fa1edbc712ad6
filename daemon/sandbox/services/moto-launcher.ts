// moto for sandbox://aws/endpoint: AWS's emulator with IAM checks on for every request, started from a devsecrets-owned
// Python entry that registers the AWS key pairs this daemon mints in moto's IAM backend, so the minted pair works
// and a made-up one gets moto's 403.
// Rule: the keys travel over the entry's stdin (never argv, a file or moto's HTTP API); moto opens no TCP port: it
// serves a Unix socket in its private folder and answers only connections made by the daemon's own process (its peer
// pid, SO_PEERCRED), so nothing reaches moto, /moto-api/* included, except through the daemon's guarded proxy.

import type { ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { DevsecretsError } from "../../../common/errors.js";
import { findServiceBinary, type Env, type ServiceProgram } from "./find-binary.js";
import type { ServiceLauncher } from "./service-manager.js";
import { runOnce } from "./service-process.js";

export const MOTO_PROGRAM: ServiceProgram = {
  service: "moto",
  program: "python3",
  install: "pip install 'moto[server]'",
};

/**
 * the entry: moto's WSGI app on werkzeug's threaded server bound to a Unix socket (argv[1]), IAM enforced, each
 * connection checked to come from the daemon (the entry's parent: setpriv execs it); then one JSON command a line on
 * stdin, one answer a line
 */
export const MOTO_ENTRY = `
import json, os, socket, struct, sys, threading
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "0"
from werkzeug.serving import make_server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.iam.models import AccessKey, iam_backends
from moto.sts.models import AssumedRole, sts_backends
DAEMON = os.getppid()
CRED = struct.calcsize("3i")
def from_daemon(request, client_address):
    try:
        pid, _, _ = struct.unpack("3i", request.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, CRED))
    except OSError:
        return False
    return pid == DAEMON
server = make_server("unix://" + sys.argv[1], 0, DomainDispatcherApplication(create_backend_app), threaded=True)
server.verify_request = from_daemon
threading.Thread(target=server.serve_forever, daemon=True).start()
backend = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
sts = sts_backends[DEFAULT_ACCOUNT_ID]["aws"]
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
ROLE = "devsecrets-sandbox"
def sandbox_role():
    for role in backend.get_roles():
        if role.name == ROLE:
            return role
    role = backend.create_role(ROLE, TRUST, "/", None, "devsecrets sandbox sessions", [], None)
    backend.put_role_policy(ROLE, "devsecrets-sandbox", ALLOW_ALL)
    return role
print("ready", flush=True)
for line in sys.stdin:
    try:
        command = json.loads(line)
        name = "devsecrets-" + command["id"]
        if command["op"] == "add":
            if name not in backend.users:
                backend.create_user("us-east-1", name)
                backend.put_user_policy(name, "devsecrets-sandbox", ALLOW_ALL)
            user = backend.users[name]
            key = AccessKey(name, prefix="AKIA", account_id=DEFAULT_ACCOUNT_ID)
            key.access_key_id = command["id"]
            key.secret_access_key = command["secret"]
            user.access_keys.append(key)
            backend.access_keys[command["id"]] = key
        elif command["op"] == "add-session":
            # moto checks an ASIA key sent with X-Amz-Security-Token against its STS assumed roles: id, secret AND token
            role = sandbox_role()
            key = AccessKey(None, prefix="ASIA", account_id=DEFAULT_ACCOUNT_ID)
            key.access_key_id = command["id"]
            key.secret_access_key = command["secret"]
            key.role_arn = role.arn
            backend.access_keys[command["id"]] = key
            session = AssumedRole(DEFAULT_ACCOUNT_ID, "us-east-1", key, name, role.arn, None, 43200, None)
            session.session_token = command["token"]
            sts.assumed_roles.append(session)
        elif command["op"] == "remove":
            backend.access_keys.pop(command["id"], None)
            if name in backend.users:
                backend.users[name].access_keys = []
            sts.assumed_roles = [r for r in sts.assumed_roles if r.access_key_id != command["id"]]
        print("ok", flush=True)
    except Exception as error:
        print("error " + type(error).__name__, flush=True)
`;

/** one line-based exchange at a time with the entry */
class Control {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #lines: Interface;
  readonly #waiting: ((line: string) => void)[] = [];

  constructor(private readonly child: ChildProcess) {
    this.#lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    this.#lines.on("line", (line) => this.#waiting.shift()?.(line));
  }

  /** resolves with the next line the entry prints ("ready" at the start) */
  next(timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("moto's entry did not answer")), timeoutMs);
      this.#waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  send(command: Record<string, string>): Promise<void> {
    const step = this.#queue.then(async () => {
      const answer = this.next(5_000);
      this.child.stdin?.write(`${JSON.stringify(command)}\n`);
      const line = await answer;
      if (line !== "ok") throw new Error(`moto's entry answered ${line.slice(0, 40)}`);
    });
    this.#queue = step.catch(() => {});
    return step;
  }

  close(): void {
    this.#lines.close();
  }
}

export class MotoLauncher implements ServiceLauncher {
  readonly service = "moto";
  readonly kind = "aws/endpoint";
  readonly program = MOTO_PROGRAM;
  readonly httpBlocked = ["/moto-api"];
  /** every pair (and session) minted in this daemon, registered again when moto (re)starts; the daemon's memory only */
  readonly #keys = new Map<string, { secret: string; token?: string }>();
  #control: Control | null = null;
  #ready: Promise<string> | null = null;

  async prepare(dir: string, env: Env) {
    const python = findServiceBinary(MOTO_PROGRAM, env);
    const runEnv = { PATH: env.PATH ?? "/usr/bin:/bin", HOME: env.HOME ?? dir, LANG: "C.UTF-8" };
    await runOnce(
      {
        command: python,
        args: ["-c", "import moto.moto_server.threaded_moto_server, moto.iam.models"],
        cwd: dir,
        env: runEnv,
      },
      "moto",
    ).catch((error: unknown) => {
      throw new DevsecretsError(
        "DS_SANDBOX_SERVICE_MISSING",
        `the sandbox moto service cannot start: ${python} cannot import moto's server`,
        {
          hint: "install it (pip install 'moto[server]'), or point DEVSECRETS_MOTO_BIN at a python3 that has it",
          cause: error,
        },
      );
    });
    const socket = join(dir, "moto.sock");
    return {
      spawn: { command: python, args: ["-c", MOTO_ENTRY, socket], cwd: dir, env: runEnv, control: true },
      socket,
      values: {},
    };
  }

  async ready(target: string): Promise<boolean> {
    if (!this.#ready) return false;
    // the entry prints "ready" once moto's socket is bound; a connect from the daemon then confirms it
    await this.#ready;
    return new Promise((resolve) => {
      const socket = createConnection(target);
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
  }

  /** the manager calls ready() only after the spawn: the control channel is attached here, from the child */
  attach(child: ChildProcess): void {
    this.#control = new Control(child);
    this.#ready = this.#control.next();
    this.#ready.catch(() => {});
  }

  async afterReady(_target: string, _values: unknown, _dir: string): Promise<void> {
    for (const [id, { secret, token }] of this.#keys) await this.#control?.send(registration(id, secret, token));
  }

  stopped(): void {
    this.#control?.close();
    this.#control = null;
    this.#ready = null;
  }

  registerKey(id: string, secret: string): Promise<void> {
    return this.#register(id, { secret });
  }

  /** temporary credentials (aws/session): moto lets the pair in only with this very session token */
  registerSession(id: string, secret: string, token: string): Promise<void> {
    return this.#register(id, { secret, token });
  }

  /** remembered for a restarted moto, and told to the running one */
  async #register(id: string, key: { secret: string; token?: string }): Promise<void> {
    this.#keys.set(id, key);
    if (this.#control) await this.#control.send(registration(id, key.secret, key.token));
  }

  /** after a rotation's grace: moto forgets the pair, so a client still holding it gets the 403 */
  async revokeKey(id: string): Promise<void> {
    this.#keys.delete(id);
    if (this.#control) await this.#control.send({ op: "remove", id, secret: "" });
  }
}

/** the entry's command for a long-term pair, or for temporary credentials when a session token comes with it */
function registration(id: string, secret: string, token?: string): Record<string, string> {
  return token === undefined ? { op: "add", id, secret } : { op: "add-session", id, secret, token };
}
