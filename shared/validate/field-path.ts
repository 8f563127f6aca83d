// Field paths as users read them: `spec.rules[0].backendRefs[1].weight`.

export type PathSegment = string | number;

/** Formats path segments; keys that are not identifiers are quoted (`labels["app.kubernetes.io/name"]`). */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Reads the value at a path inside a plain document (undefined when any step is missing). */
export function valueAt(document: unknown, segments: readonly PropertyKey[]): unknown {
  let current: unknown = document;
  for (const seg of segments) {
    if (current === null || typeof current !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, seg)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[seg];
  }
  return current;
}

/**
 * Expands a field pattern (`spec.http[].match[].port`, `[]` = every list element) against a document,
 * returning the concrete paths that are present (`spec.http[0].match[1].port`).
 */
export function presentPaths(document: unknown, pattern: string): PathSegment[][] {
  let frontier: { value: unknown; path: PathSegment[] }[] = [{ value: document, path: [] }];
  for (const part of pattern.split(".")) {
    const each = part.endsWith("[]");
    const key = each ? part.slice(0, -2) : part;
    const next: typeof frontier = [];
    for (const { value, path } of frontier) {
      const child = valueAt(value, [key]);
      if (child === undefined) continue;
      if (!each) next.push({ value: child, path: [...path, key] });
      else if (Array.isArray(child)) child.forEach((item, i) => next.push({ value: item, path: [...path, key, i] }));
    }
    frontier = next;
  }
  return frontier.map((f) => f.path);
}
