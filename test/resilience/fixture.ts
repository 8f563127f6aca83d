// One mesh per test file plus the misbehaving upstreams its tests start, all stopped after the file.
import { afterAll, beforeAll } from "vitest";
import { startMesh, type TestMesh } from "../helpers/local-mesh";
import { misbehaving, type Misbehaving } from "./misbehaving";

export interface ResilienceFixture {
  /** The running mesh (set in beforeAll). */
  readonly mesh: TestMesh;
  /** Starts an upstream that is closed after the file. */
  upstream(...args: Parameters<typeof misbehaving>): Promise<Misbehaving>;
}

export function useMeshWithUpstreams(): ResilienceFixture {
  let mesh: TestMesh | undefined;
  const upstreams: Misbehaving[] = [];
  beforeAll(async () => {
    mesh = await startMesh();
  });
  afterAll(async () => {
    await mesh?.stop();
    await Promise.all(upstreams.map((u) => u.close()));
  });
  return {
    get mesh() {
      if (mesh === undefined) throw new Error("the mesh is not started yet");
      return mesh;
    },
    async upstream(...args) {
      const u = await misbehaving(...args);
      upstreams.push(u);
      return u;
    },
  };
}
