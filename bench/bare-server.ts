// The peer of the daemon's HTTP edge: a bare node:http server on a Unix socket that reads a JSON body and answers a fixed one.
// Rule: no framework, no validation beyond JSON.parse; it answers a JSON body of the byte length it is given.
// usage: node dist/bench/bare-server.js <socket> <answer-bytes>

import { createServer } from "node:http";

const [socket, size] = process.argv.slice(2);
if (!socket || !size) {
  process.stderr.write("usage: bare-server.js <socket> <answer-bytes>\n");
  process.exit(2);
}
const overhead = JSON.stringify({ pad: "" }).length;
const answer = Buffer.from(JSON.stringify({ pad: "x".repeat(Math.max(0, Number(size) - overhead)) }));

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (chunks.length > 0) JSON.parse(Buffer.concat(chunks).toString("utf8"));
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": answer.length });
    res.end(answer);
  });
});
server.listen(socket, () => process.stdout.write(`ready ${process.pid}\n`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
