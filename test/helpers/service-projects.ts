// The devsecrets.env lines the sandbox-service tests share: an app that talks to S3 through the daemon's moto, and to
// its Redis, each with the minted credentials the service enforces.

/** AWS_ENDPOINT_URL (moto behind the daemon's proxy) and the minted key pair moto knows */
export const AWS_SERVICE_LINES = [
  "AWS_ENDPOINT_URL=sandbox://aws/endpoint",
  "AWS_ACCESS_KEY_ID=sandbox://aws/access-key#id",
  "AWS_SECRET_ACCESS_KEY=sandbox://aws/access-key#secret",
] as const;

/** the sandbox redis-server's proxy port and the password it enforces */
export const REDIS_SERVICE_LINES = [
  "REDIS_PORT=sandbox://redis/server#port",
  "REDIS_PASSWORD=sandbox://redis/server#password",
] as const;

/** a devsecrets.env of these lines */
export function envFile(...groups: readonly (readonly string[])[]): string {
  return `${groups.flat().join("\n")}\n`;
}
