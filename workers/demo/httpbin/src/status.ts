// httpbin `/status/{codes}`: one code, or a weighted choice such as `200:0.9,503:0.1` (pure).

/** Statuses a Response may carry; 1xx and out-of-range codes are refused. */
const MIN_STATUS = 200;
const MAX_STATUS = 599;

/** Statuses whose responses cannot have a body. */
export const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * Parses `200`, `200,500` (uniform) or `200:0.9,503:0.1` (weighted) and picks one with `random` in [0, 1).
 * Returns null for a malformed spec or a code outside 200–599.
 */
export function chooseStatus(spec: string, random: number): number | null {
  const choices: Array<{ code: number; weight: number }> = [];
  for (const part of spec.split(",")) {
    const [codeText, weightText] = part.split(":");
    const code = Number(codeText);
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!Number.isInteger(code) || code < MIN_STATUS || code > MAX_STATUS) return null;
    if (!Number.isFinite(weight) || weight < 0) return null;
    choices.push({ code, weight });
  }
  const total = choices.reduce((sum, c) => sum + c.weight, 0);
  if (choices.length === 0 || total <= 0) return null;
  let point = random * total;
  for (const choice of choices) {
    point -= choice.weight;
    if (point < 0) return choice.code;
  }
  return choices[choices.length - 1]!.code;
}
