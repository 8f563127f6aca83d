// A unified line diff (`@@ -a,b +c,d @@` hunks with context), pure: used by `flaremesh diff`.

/** Beyond this many cells the LCS table is skipped and the texts are shown as replaced wholesale. */
const MAX_CELLS = 4_000_000;

/**
 * The edit script between two line arrays: `[" " | "-" | "+", line]` entries in order.
 * @param {string[]} a @param {string[]} b
 * @returns {Array<[" " | "-" | "+", string]>}
 */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) return [...a.map((l) => ["-", l]), ...b.map((l) => ["+", l])];
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push([" ", a[i++]]);
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // On a tie, delete first: each change prints its `-` lines before its `+` lines, as diff(1) does.
      ops.push(["-", a[i++]]);
    } else {
      ops.push(["+", b[j++]]);
    }
  }
  return ops;
}

/**
 * Unified diff text of two strings, or "" when they are equal.
 * @param {string} before @param {string} after
 * @param {{fromLabel?: string, toLabel?: string, context?: number}} [options]
 */
export function unifiedDiff(before, after, { fromLabel = "current", toLabel = "file", context = 3 } = {}) {
  if (before === after) return "";
  const split = (s) => (s === "" ? [] : s.replace(/\n$/, "").split("\n"));
  const ops = diffLines(split(before), split(after));
  const lines = [`--- ${fromLabel}`, `+++ ${toLabel}`];
  for (const hunk of hunks(ops, context)) lines.push(...hunk);
  return `${lines.join("\n")}\n`;
}

function hunks(ops, context) {
  const changed = ops.map((op, k) => (op[0] === " " ? -1 : k)).filter((k) => k >= 0);
  const out = [];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = Math.min(ops.length, changed[k] + context + 1);
    while (k + 1 < changed.length && changed[k + 1] - context <= end)
      end = Math.min(ops.length, changed[++k] + context + 1);
    k++;
    const before = ops.slice(0, start);
    const aStart = before.filter((op) => op[0] !== "+").length;
    const bStart = before.filter((op) => op[0] !== "-").length;
    const body = ops.slice(start, end);
    const aLen = body.filter((op) => op[0] !== "+").length;
    const bLen = body.filter((op) => op[0] !== "-").length;
    const range = (from, len) => `${len === 0 ? from : from + 1},${len}`;
    out.push([
      `@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@`,
      ...body.map(([sign, line]) => `${sign}${line}`),
    ]);
  }
  return out;
}
