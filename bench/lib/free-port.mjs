// A free TCP port on 127.0.0.1 for a process the benchmark starts (nginx, a workerd without Miniflare).
import { createServer } from "node:net";

/** A port nothing listens on at the moment of asking (another process may still take it before the caller binds). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
