// `npm start`: runs the local mesh with the demo and prints where it is (contract §3).
import { resolve } from "node:path";
import { startLocalMesh, DEV_ADMIN_TOKEN, ROOT } from "./lib/local-mesh.mjs";

const port = Number(process.env.PORT ?? 8787);
const stateDir = resolve(ROOT, process.env.MESH_STATE_DIR ?? ".mesh");
const demo = process.env.MESH_DEMO !== "0";
const adminToken = process.env.MESH_ADMIN_TOKEN || DEV_ADMIN_TOKEN;
const mtlsPort = process.env.MESH_MTLS_PORT ? Number(process.env.MESH_MTLS_PORT) : undefined;

const say = (line) => process.stdout.write(`[flaremesh] ${line}\n`);

let mesh;
let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  say(`${signal} received, stopping`);
  try {
    await mesh?.stop();
  } finally {
    process.exit(0);
  }
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  say(`building workers and starting workerd on 127.0.0.1:${port} (state in ${stateDir})`);
  // Outbound mTLS: `<BINDING>.crt`/`.key` client keypairs for the proxy's mtls_certificates bindings.
  const mtlsCertificatesDir = process.env.MESH_MTLS_CERTS_DIR ? resolve(process.env.MESH_MTLS_CERTS_DIR) : undefined;
  mesh = await startLocalMesh({ port, stateDir, demo, adminToken, mtlsPort, mtlsCertificatesDir, log: say });
  if (stopping) await mesh.stop();
  if (adminToken === DEV_ADMIN_TOKEN) say(`admin token (development): ${DEV_ADMIN_TOKEN}`);
  say(`control plane: http://control.localhost:${mesh.port} (also http://localhost:${mesh.port})`);
  say(`dashboard:     http://localhost:${mesh.port}/dashboard`);
  say(
    `services:      http://<service>.localhost:${mesh.port}/  e.g. http://productpage.localhost:${mesh.port}/productpage`,
  );
  if (mesh.mtls)
    say(`mTLS:          ${mesh.mtls.url} (client certificates signed by the mesh CA; POST /v1/certificates)`);
  say(`ready on http://127.0.0.1:${mesh.port}`);
} catch (err) {
  process.stderr.write(`[flaremesh] failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  await mesh?.stop().catch(() => {});
  process.exit(1);
}
