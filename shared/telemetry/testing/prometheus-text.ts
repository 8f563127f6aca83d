// A strict Prometheus text format 0.0.4 parser for tests: it rejects what Prometheus would reject, and more.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface ParsedFamily {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help?: string;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const FLOAT = /^[+-]?(?:Inf|NaN|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function fail(line: number, message: string): never {
  throw new SyntaxError(`line ${line}: ${message}`);
}

function parseFloatStrict(text: string, line: number): number {
  if (!FLOAT.test(text)) fail(line, `invalid value ${JSON.stringify(text)}`);
  if (/^[+-]?Inf$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?NaN$/.test(text)) return NaN;
  return Number(text);
}

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let at = 1; // after "{"
  for (;;) {
    if (text[at] === "}") return { labels, rest: text.slice(at + 1) };
    const name = LABEL_NAME.exec(text.slice(at))?.[0];
    if (!name) fail(line, "invalid label name");
    if (Object.hasOwn(labels, name)) fail(line, `duplicate label ${name}`);
    at += name.length;
    if (text.slice(at, at + 2) !== '="') fail(line, `expected ="" after ${name}`);
    at += 2;
    let value = "";
    for (;;) {
      const ch = text[at];
      if (ch === undefined) fail(line, "unterminated label value");
      if (ch === '"') break;
      if (ch === "\\") {
        const next = text[at + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else fail(line, `invalid escape \\${next ?? ""}`);
        at += 2;
      } else {
        value += ch;
        at += 1;
      }
    }
    labels[name] = value;
    at += 1;
    if (text[at] === ",") at += 1;
    else if (text[at] !== "}") fail(line, "expected , or }");
  }
}

function familyOf(sampleName: string, families: Map<string, ParsedFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (sampleName.endsWith(suffix)) {
      const base = sampleName.slice(0, -suffix.length);
      const type = families.get(base)?.type;
      if (type === "histogram" || (type === "summary" && suffix !== "_bucket")) return base;
    }
  }
  return sampleName;
}

function checkHistogram(family: ParsedFamily): void {
  const groups = new Map<string, ParsedSample[]>();
  for (const s of family.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const samples of groups.values()) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`);
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const sum = samples.find((s) => s.name === `${family.name}_sum`);
    if (!count || !sum) throw new SyntaxError(`${family.name}: histogram series without _sum/_count`);
    let lastLe = -Infinity;
    let lastCount = 0;
    for (const b of buckets) {
      if (b.labels.le === undefined) throw new SyntaxError(`${family.name}: bucket without le`);
      const le = b.labels.le === "+Inf" ? Infinity : Number(b.labels.le);
      if (!(le > lastLe)) throw new SyntaxError(`${family.name}: le not ascending`);
      if (b.value < lastCount) throw new SyntaxError(`${family.name}: buckets not cumulative`);
      lastLe = le;
      lastCount = b.value;
    }
    if (lastLe !== Infinity) throw new SyntaxError(`${family.name}: no +Inf bucket`);
    if (lastCount !== count.value) throw new SyntaxError(`${family.name}: +Inf bucket differs from _count`);
  }
}

/** Parses exposition text; throws SyntaxError on anything malformed or ambiguous. */
export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  if (text.length > 0 && !text.endsWith("\n")) throw new SyntaxError("missing final line feed");
  const families = new Map<string, ParsedFamily>();
  const closed = new Set<string>();
  const seriesSeen = new Set<string>();
  const typed = new Set<string>();
  let current: string | undefined;
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const enter = (name: string) => {
      if (current !== name) {
        if (current !== undefined) closed.add(current);
        if (closed.has(name)) fail(line, `family ${name} is not contiguous`);
        current = name;
      }
    };
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
    if (meta) {
      const [, kind, name = "", rest = ""] = meta;
      if (!METRIC_NAME.test(name) || METRIC_NAME.exec(name)![0] !== name) fail(line, `invalid metric name ${name}`);
      enter(name);
      const family = families.get(name) ?? { name, type: "untyped" as const, samples: [] };
      if (kind === "TYPE") {
        if (!TYPES.has(rest)) fail(line, `invalid type ${rest}`);
        if (family.samples.length > 0 || typed.has(name)) fail(line, `TYPE for ${name} after its samples or twice`);
        family.type = rest as ParsedFamily["type"];
        typed.add(name);
      } else {
        if (family.help !== undefined) fail(line, `second HELP for ${name}`);
        family.help = rest.replace(/\\(\\|n)/g, (_m, c: string) => (c === "n" ? "\n" : "\\"));
      }
      families.set(name, family);
      return;
    }
    if (raw.startsWith("#")) return;
    const name = METRIC_NAME.exec(raw)?.[0];
    if (!name) fail(line, "invalid sample line");
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, line));
    const fields = rest.split(" ");
    if (fields[0] !== "" || fields.length < 2 || fields.length > 3)
      fail(line, "expected one space, a value and an optional timestamp");
    const value = parseFloatStrict(fields[1]!, line);
    if (fields[2] !== undefined && !/^-?\d+$/.test(fields[2])) fail(line, "invalid timestamp");
    const base = familyOf(name, families);
    enter(base);
    const family = families.get(base) ?? { name: base, type: "untyped" as const, samples: [] };
    families.set(base, family);
    const key = JSON.stringify([name, Object.entries(labels).sort()]);
    if (seriesSeen.has(key)) fail(line, `duplicate series ${name}`);
    seriesSeen.add(key);
    if (family.type === "histogram" && !/_(bucket|sum|count)$/.test(name)) fail(line, `bad histogram sample ${name}`);
    if (family.type === "counter" && value < 0) fail(line, "negative counter");
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) {
    if (family.type === "histogram") checkHistogram(family);
  }
  return families;
}
