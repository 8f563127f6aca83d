// Static check for regular expressions that can backtrack catastrophically in JavaScript (unlike Istio's RE2).

interface Frame {
  /** The group (so far) contains an unbounded quantifier. */
  unbounded: boolean;
}

/** Length of an unbounded quantifier (`*`, `+`, `{n,}`) at `i`, 0 for a bounded one, -1 for none. */
function quantifierAt(pattern: string, i: number): { length: number; unbounded: boolean } | undefined {
  const c = pattern[i];
  if (c === "*" || c === "+") return { length: 1, unbounded: true };
  if (c === "?") return { length: 1, unbounded: false };
  if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (m !== null) return { length: m[0].length, unbounded: m[2] !== undefined && m[3] === "" };
  }
  return undefined;
}

/**
 * Whether a pattern nests unbounded quantifiers (`(a+)+`, `(\w*)*`, `(x+){2,}`): the classic shape of
 * exponential backtracking. Bounded repetition such as `(a+){1,3}` or `(ab)*` is allowed.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  const stack: Frame[] = [{ unbounded: false }];
  let lastGroup: Frame | undefined; // the group that just closed, if the previous atom was a group
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const q = quantifierAt(pattern, i);
    if (q !== undefined) {
      if (q.unbounded && lastGroup?.unbounded === true) return true;
      const top = stack[stack.length - 1];
      if (q.unbounded && top !== undefined) top.unbounded = true;
      i += q.length - 1;
      if (pattern[i + 1] === "?") i++; // lazy modifier
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      for (i++; i < pattern.length && pattern[i] !== "]"; i++) if (pattern[i] === "\\") i++;
    } else if (c === "(") {
      stack.push({ unbounded: false });
    } else if (c === ")" && stack.length > 1) {
      const closed = stack.pop() as Frame;
      const parent = stack[stack.length - 1];
      if (parent !== undefined && closed.unbounded) parent.unbounded = true;
      lastGroup = closed;
    }
  }
  return false;
}
