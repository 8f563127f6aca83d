// Loads @peculiar/x509 on first use (key generation, CSR signing), so that requests which never touch
// certificates do not pay for evaluating it.
import type { x509 as X509 } from "./x509";

let loading: Promise<typeof X509> | undefined;

export function loadX509(): Promise<typeof X509> {
  loading ??= import("./x509").then((m) => m.x509);
  return loading;
}
