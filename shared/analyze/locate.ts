// Maps a field path of a document (`spec.http[0].route[1].weight`) back to its line in the YAML/JSON source,
// so offline validation can say FILE:LINE. Documents are numbered as parseDocuments numbers them.
import type { Node, YAMLMap, YAMLSeq } from "yaml";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from "yaml";

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface DocumentLocator {
  /** How many documents the source holds (empty ones skipped, `kind: List` and JSON arrays expanded). */
  readonly count: number;
  /**
   * Where field `path` of document `index` is written: the key's position for a map member, the item's for
   * a list element. A path that is absent (a required field) resolves to its deepest present parent.
   */
  locate(index: number, path?: string): Position | undefined;
}

/** `spec.rules[0]["app.kubernetes.io/name"].x` → ["spec", "rules", 0, "app.kubernetes.io/name", "x"]. */
export function parseFieldPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

function isListDocument(node: Node): boolean {
  if (!isMap(node)) return false;
  const kind = node.get("kind");
  const apiVersion = node.get("apiVersion");
  return kind === "List" && (apiVersion === "v1" || apiVersion === undefined) && isSeq(node.get("items", true));
}

export function documentLocator(text: string): DocumentLocator {
  const lineCounter = new LineCounter();
  const roots: Node[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    const items: Node[] = isSeq(contents) ? (contents.items as Node[]) : [contents];
    for (const item of items) {
      const list = isListDocument(item) ? (item as YAMLMap).get("items", true) : undefined;
      if (isSeq(list)) roots.push(...(list as YAMLSeq<Node>).items);
      else roots.push(item);
    }
  }
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    count: roots.length,
    locate(index, path) {
      const root = roots[index];
      if (root === undefined || root.range === undefined || root.range === null) return undefined;
      let node: Node = root;
      let offset = root.range[0];
      for (const seg of path === undefined ? [] : parseFieldPath(path)) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
          if (pair === undefined) break;
          const key = pair.key as Node;
          if (key.range) offset = key.range[0];
          if (pair.value === null || pair.value === undefined) break;
          node = pair.value as Node;
        } else if (isSeq(node) && typeof seg === "number") {
          const item = node.items[seg] as Node | undefined;
          if (item === undefined) break;
          if (item.range) offset = item.range[0];
          node = item;
        } else break;
      }
      return at(offset);
    },
  };
}
