// Summarises a V8 sampling heap profile: bytes allocated per function (self), heaviest first. Builtins (`join`,
// `set`, `(V8 API)`…) are named with the JavaScript function that called them, which is what one can change.
export function allocationRows(profile, top = 25) {
  const perFunction = new Map();
  let totalBytes = 0;
  const nameOf = (f) => `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
  const visit = (node, caller) => {
    const f = node.callFrame;
    const builtin = f.url === "";
    const key = builtin ? `${f.functionName || "(builtin)"} ← ${caller}` : nameOf(f);
    const self = node.selfSize ?? 0;
    if (self > 0) {
      perFunction.set(key, (perFunction.get(key) ?? 0) + self);
      totalBytes += self;
    }
    for (const child of node.children ?? []) visit(child, builtin ? caller : nameOf(f));
  };
  visit(profile.head, "(root)");
  const rows = [...perFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, bytes]) => ({ key, bytes }));
  return { totalBytes, rows };
}
