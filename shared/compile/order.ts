// The tie-break order between resources: oldest first (creationTimestamp), then `namespace/name`.
import type { Resource } from "../resources/resource";

/** Sorts older resources first; a resource without creationTimestamp counts as newest. */
export function compareResourceAge(a: Resource, b: Resource): number {
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    const da = Date.parse(ta);
    const db = Date.parse(tb);
    if (da !== db) return da < db ? -1 : 1;
  }
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
