// The offline app: S3 put/get (AWS SDK v3 against moto), a Stripe customer (the Stripe SDK against stripe-mock),
// a PostgreSQL round trip (pg) and a Redis SET/GET (RESP over node:net), all from devsecrets' sandbox references.
// Prints one line per call, never a value; exits 1 on the first failure.
import { connect } from "node:net";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import Stripe from "stripe";

const env = process.env;

async function s3() {
  // AWS_ENDPOINT_URL, AWS_REGION and the key pair come from the environment, as in production
  const client = new S3Client({ forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: "offline-app" }));
  await client.send(new PutObjectCommand({ Bucket: "offline-app", Key: "hello.txt", Body: "hello offline" }));
  const got = await client.send(new GetObjectCommand({ Bucket: "offline-app", Key: "hello.txt" }));
  return `s3 put/get: ${await got.Body.transformToString()}`;
}

async function stripe() {
  const base = new URL(env.STRIPE_API_BASE);
  const client = new Stripe(env.STRIPE_SECRET_KEY, {
    host: base.hostname,
    port: Number(base.port),
    protocol: base.protocol.replace(":", ""),
    maxNetworkRetries: 0,
  });
  const customer = await client.customers.create({ email: "dev@example.test" });
  return `stripe customer: ${customer.id.slice(0, 4)}…`;
}

async function postgres() {
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("CREATE TABLE IF NOT EXISTS notes (body text)");
    await client.query("INSERT INTO notes VALUES ('hello offline')");
    const { rows } = await client.query("SELECT count(*)::int AS n FROM notes");
    return `postgres rows: ${rows[0].n}`;
  } finally {
    await client.end();
  }
}

function redis() {
  const url = new URL(env.REDIS_URL);
  const password = decodeURIComponent(url.password);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let text = "";
    socket.on("error", reject);
    socket.on("connect", () => socket.write(`AUTH default ${password}\r\nSET greeting offline\r\nGET greeting\r\n`));
    socket.on("data", (chunk) => {
      text += chunk;
      const lines = text.split("\r\n");
      if (lines.length < 5) return;
      socket.end();
      if (lines[0] !== "+OK") reject(new Error(`redis refused: ${lines[0]}`));
      else resolve(`redis get: ${lines[3]}`);
    });
  });
}

for (const call of [s3, stripe, postgres, redis]) {
  try {
    console.log(await call());
  } catch (error) {
    const status = error.$metadata?.httpStatusCode;
    console.log(`${call.name} failed: ${error.name}${status ? ` (HTTP ${status})` : ""}`);
    process.exit(1);
  }
}
console.log("offline-app: every call completed");
