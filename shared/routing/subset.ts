// Selects the endpoints of a DestinationRule subset: those whose labels include every selector label.

export function filterEndpointsBySubset<E extends { labels: Record<string, string> }>(
  endpoints: readonly E[],
  selector: Record<string, string>,
): E[] {
  const wanted = Object.entries(selector);
  return endpoints.filter((e) => wanted.every(([k, v]) => e.labels[k] === v));
}
