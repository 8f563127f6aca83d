// The benchmark's upstream, run as its own process so that its CPU is never counted against a proxy: a Node HTTP
// server answering a small fixed body, plus the telemetry receiver (an http-json TelemetrySink endpoint).
// Prints one JSON line {upstreamPort, receiverPort} once both listen; exits when its parent closes stdin.
import http from "node:http";

const BODY = JSON.stringify({ service: "bench-upstream", ok: true });

const upstream = http.createServer((req, res) => {
  req.resume();
  const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) };
  // The propagation probe sees which trace formats the proxy wrote (MeshConfig tracing.propagation).
  if (req.url.startsWith("/probe")) headers["x-bench-saw-b3"] = req.headers.b3 === undefined ? "0" : "1";
  // The harness checks that each configuration forwards the path and query as sent (any path answers 200).
  if (req.headers["x-bench-echo-path"] !== undefined) headers["x-bench-saw-path"] = req.url;
  res.writeHead(200, headers);
  res.end(BODY);
});

const stats = { posts: 0, bytes: 0, items: 0 };
const receiver = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    stats.posts++;
    stats.bytes += body.length;
    try {
      const doc = JSON.parse(body.toString("utf8"));
      stats.items += Array.isArray(doc) ? doc.length : Array.isArray(doc?.entries) ? doc.entries.length : 1;
    } catch {
      stats.items += body.toString("utf8").split("\n").filter(Boolean).length;
    }
    res.writeHead(204);
    res.end();
  });
});

const listen = (server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
const [upstreamPort, receiverPort] = await Promise.all([listen(upstream), listen(receiver)]);
process.stdout.write(`${JSON.stringify({ upstreamPort, receiverPort })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
