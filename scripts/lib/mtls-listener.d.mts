// Types for mtls-listener.mjs.
import type { MtlsListener } from "./local-mesh.mjs";
export const LISTENER_PROOF_HEADER: string;
export function fetchMeshCa(meshPort: number): Promise<string[]>;
export function startMtlsListener(options: {
  mf: unknown;
  meshPort: number;
  secret: string;
  port?: number;
  host?: string;
  refreshMs?: number;
}): Promise<MtlsListener>;
