// Prometheus text exposition format 0.0.4 encoder (what `GET /metrics` serves).

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Label pairs in the order they are written. */
export type LabelPairs = readonly (readonly [string, string])[];

export type MetricFamily =
  | {
      name: string;
      help: string;
      type: "counter" | "gauge" | "untyped";
      samples: readonly { labels: LabelPairs; value: number }[];
    }
  | {
      name: string;
      help: string;
      type: "histogram";
      /** Upper bounds, ascending, without `+Inf`. */
      bounds: readonly number[];
      /** `buckets` are per-bucket counts (bounds.length + 1, the last for `+Inf`); the encoder accumulates. */
      samples: readonly { labels: LabelPairs; buckets: readonly number[]; sum: number; count: number }[];
    };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus float syntax: Go's ParseFloat reads these, and `+Inf`/`-Inf`/`NaN` are spelled its way. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Label values escape `\`, `"` and line feed (the only escapes 0.0.4 defines). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes only `\` and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function labelBlock(labels: LabelPairs, extra?: readonly [string, string]): string {
  const all = extra ? [...labels, extra] : labels;
  if (all.length === 0) return "";
  return `{${all.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

function checkNames(family: MetricFamily): void {
  // Bad names are programming errors: a scrape with one would be rejected whole by Prometheus.
  if (!METRIC_NAME.test(family.name)) throw new RangeError(`invalid metric name: ${family.name}`);
  for (const sample of family.samples) {
    const seen = new Set<string>();
    for (const [label] of sample.labels) {
      if (!LABEL_NAME.test(label) || label.startsWith("__")) throw new RangeError(`invalid label name: ${label}`);
      if (family.type === "histogram" && label === "le") throw new RangeError("histogram label `le` is reserved");
      if (seen.has(label)) throw new RangeError(`duplicate label: ${label}`);
      seen.add(label);
    }
  }
}

function compareLabels(a: LabelPairs, b: LabelPairs): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i]!;
    const [bn, bv] = b[i]!;
    if (an !== bn) return an < bn ? -1 : 1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Encodes families as Prometheus text: families sorted by name, one HELP and TYPE line each, samples
 * sorted by labels (stable output for diffs and caches); histograms as cumulative `_bucket{le}` series
 * ending in `+Inf` (= `_count`), then `_sum` and `_count`. Duplicate family names are an error.
 */
export function encodePrometheus(families: readonly MetricFamily[]): string {
  const names = new Set<string>();
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    checkNames(family);
    if (names.has(family.name)) throw new RangeError(`duplicate metric family: ${family.name}`);
    names.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    if (family.type === "histogram") {
      const samples = [...family.samples].sort((a, b) => compareLabels(a.labels, b.labels));
      for (const sample of samples) {
        let cumulative = 0;
        family.bounds.forEach((bound, i) => {
          cumulative += sample.buckets[i] ?? 0;
          lines.push(
            `${family.name}_bucket${labelBlock(sample.labels, ["le", formatValue(bound)])} ${formatValue(cumulative)}`,
          );
        });
        // `+Inf` must equal `_count`; computing it from the count keeps that true even for odd inputs.
        lines.push(`${family.name}_bucket${labelBlock(sample.labels, ["le", "+Inf"])} ${formatValue(sample.count)}`);
        lines.push(`${family.name}_sum${labelBlock(sample.labels)} ${formatValue(sample.sum)}`);
        lines.push(`${family.name}_count${labelBlock(sample.labels)} ${formatValue(sample.count)}`);
      }
    } else {
      const samples = [...family.samples].sort((a, b) => compareLabels(a.labels, b.labels));
      for (const sample of samples)
        lines.push(`${family.name}${labelBlock(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
