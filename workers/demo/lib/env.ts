// The bindings every demo Worker receives (hand-written until `wrangler types` generates them).

export interface DemoEnv {
  /** The service this Worker implements, e.g. `reviews`. */
  SERVICE: string;
  /** Its version label, e.g. `v2`. */
  VERSION: string;
  /** Egress through the mesh: the proxy's `Egress` entrypoint, bound with this Worker's identity as props. */
  MESH: Fetcher;
}
