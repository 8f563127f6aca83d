// Summarises a V8 .cpuprofile: self time per function, heaviest first, optionally per request.
export function selfTimes(profile, top = 25, requests = 0) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map();
  profile.samples.forEach((id, i) => perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const perFunction = new Map();
  let total = 0;
  for (const [id, us] of perNode) {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + us);
    total += us;
  }
  return [...perFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const perRequest = requests > 0 ? ` ${(us / requests).toFixed(1).padStart(6)} µs/req` : "";
      return `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%${perRequest}  ${key}`;
    });
}
