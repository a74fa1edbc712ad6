// aws-sm:// against the AWS SDK's own GetSecretValue, both to the same moto on loopback, in one run (issue 21):
// warm (the session's copy against a warm SDK client with keep-alive) and cold (the first resolve after a login,
// which creates the session's client and fetches, against a new SDK client's first call). The daemon's very first
// resolve, which also imports the SDK, is printed once.
// Rule: interleaved rounds, medians, ratios; no absolute time asserted.

import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { socketRequest } from "../daemon/client/socket-request.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../daemon/protocol/version.js";
import { ANY_KEYS, startMoto } from "../test/helpers/moto.js";
import { median } from "./paired.js";
import { checkAtMost, note, printTable } from "./report.js";
import { makeBenchWorld } from "./world.js";

const BENCH = "aws-stores";
const ROUNDS = 15;

const ms = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e6;

export async function run(): Promise<void> {
  const moto = await startMoto();
  const world = makeBenchWorld();
  try {
    const keys = { accessKeyId: ANY_KEYS.accessKeyId, secretAccessKey: ANY_KEYS.secretAccessKey };
    // the SDK marks the credentials object it is given ($source): each client gets its own copy
    const sdkConfig = () => ({ endpoint: moto.endpoint, region: "us-east-1", credentials: { ...keys } });
    const seed = new SecretsManagerClient(sdkConfig());
    await seed.send(new CreateSecretCommand({ Name: "bench/db", SecretString: '{"password":"bench-pass"}' }));
    seed.destroy();
    const project = world.project("aws", { "devsecrets.env": "PASSWORD=aws-sm://bench/db#password\n" });
    await world.startDaemon();
    const call = async (method: "GET" | "POST" | "DELETE", path: string, body?: unknown) => {
      const answer = await socketRequest({
        socket: world.socket,
        method,
        path,
        headers: { [VERSION_HEADER]: PACKAGE_VERSION },
        ...(body !== undefined ? { body } : {}),
      });
      if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
      return answer.body;
    };
    const login = () =>
      call("POST", "/v1/session", {
        store: "memory",
        aws: { endpoint: moto.endpoint, region: "us-east-1", ...ANY_KEYS },
      });
    const resolve = async () => {
      const body = await call("POST", "/v1/resolve", { cwd: project, env: "dev", environ: {}, override: false });
      if (!body.includes("bench-pass")) throw new Error("the resolve did not answer the secret");
    };

    await login();
    let started = process.hrtime.bigint();
    await resolve();
    const first = ms(started);

    const warmClient = new SecretsManagerClient(sdkConfig());
    await warmClient.send(new GetSecretValueCommand({ SecretId: "bench/db" }));
    const series = { warm: [] as number[], sdkWarm: [] as number[], cold: [] as number[], sdkCold: [] as number[] };
    for (let round = 0; round < ROUNDS + 2; round++) {
      started = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) await resolve();
      const warm = ms(started) / 20;
      started = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) await warmClient.send(new GetSecretValueCommand({ SecretId: "bench/db" }));
      const sdkWarm = ms(started) / 20;
      await call("DELETE", "/v1/session");
      await login();
      started = process.hrtime.bigint();
      await resolve();
      const cold = ms(started);
      started = process.hrtime.bigint();
      const fresh = new SecretsManagerClient(sdkConfig());
      await fresh.send(new GetSecretValueCommand({ SecretId: "bench/db" }));
      const sdkCold = ms(started);
      fresh.destroy();
      if (round < 2) continue; // warm-up
      series.warm.push(warm);
      series.sdkWarm.push(sdkWarm);
      series.cold.push(cold);
      series.sdkCold.push(sdkCold);
    }
    warmClient.destroy();
    const [warm, sdkWarm, cold, sdkCold] = [
      median(series.warm),
      median(series.sdkWarm),
      median(series.cold),
      median(series.sdkCold),
    ];
    printTable(
      BENCH,
      `aws-sm:// vs the SDK's GetSecretValue, same moto on 127.0.0.1 (median ms, ${ROUNDS} rounds, Node ${process.versions.node})`,
      ["case", "ms", "ratio to the SDK"],
      [
        ["warm POST /v1/resolve (session copy)", warm.toFixed(2), (warm / sdkWarm).toFixed(2)],
        ["warm SDK GetSecretValue (keep-alive client)", sdkWarm.toFixed(2), "1.00"],
        ["cold: first resolve after login (new client + fetch)", cold.toFixed(2), (cold / sdkCold).toFixed(2)],
        ["cold SDK: new client + GetSecretValue", sdkCold.toFixed(2), "1.00"],
        ["the daemon's first aws-sm resolve (imports the SDK)", first.toFixed(2), "-"],
      ],
    );
    checkAtMost(BENCH, "warm resolve / warm SDK GetSecretValue", warm / sdkWarm, 1);
    note(BENCH, "warm answers come from the session's copy: no request reaches the store until a rotation");
  } finally {
    world.stopDaemon();
    world.cleanup();
    await moto.stop();
  }
}
