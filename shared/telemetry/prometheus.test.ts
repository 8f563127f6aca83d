import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { collectFamilies, createAggregate, mergeDelta, setAggregateGauge } from "./aggregate";
import { createRegistry, record, takeDelta } from "./metrics";
import { encodePrometheus, escapeLabelValue, formatValue, type MetricFamily } from "./prometheus";
import { parsePrometheusText } from "./testing/prometheus-text";

describe("escapeLabelValue", () => {
  it.each([
    ["plain", "plain"],
    ['say "hi"', 'say \\"hi\\"'],
    ["C:\\path", "C:\\\\path"],
    ["two\nlines", "two\\nlines"],
    ['\\"\n', '\\\\\\"\\n'],
    ["tab\there", "tab\there"], // only \, " and LF are escaped in 0.0.4
    ["ünïcode ✓", "ünïcode ✓"],
  ])("%j → %j", (input, expected) => {
    expect(escapeLabelValue(input)).toBe(expected);
  });
});

describe("formatValue", () => {
  it.each([
    [0, "0"],
    [1.5, "1.5"],
    [3_600_000, "3600000"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
    [Number.NaN, "NaN"],
  ])("%s → %s", (value, text) => {
    expect(formatValue(value)).toBe(text);
  });
});

describe("encodePrometheus", () => {
  const families: MetricFamily[] = [
    {
      name: "zeta_total",
      help: "Last family.",
      type: "counter",
      samples: [
        { labels: [["code", "500"]], value: 2 },
        { labels: [["code", "200"]], value: 5 },
      ],
    },
    {
      name: "alpha_ms",
      help: "A histogram\nwith a \\ in its help.",
      type: "histogram",
      bounds: [1, 10],
      samples: [{ labels: [["svc", 'we"ird\n']], buckets: [1, 2, 3], sum: 42.5, count: 6 }],
    },
    { name: "empty_gauge", help: "No samples yet.", type: "gauge", samples: [] },
  ];

  it("writes HELP/TYPE, escapes, sorts and accumulates buckets", () => {
    expect(encodePrometheus(families)).toBe(
      [
        "# HELP alpha_ms A histogram\\nwith a \\\\ in its help.",
        "# TYPE alpha_ms histogram",
        'alpha_ms_bucket{svc="we\\"ird\\n",le="1"} 1',
        'alpha_ms_bucket{svc="we\\"ird\\n",le="10"} 3',
        'alpha_ms_bucket{svc="we\\"ird\\n",le="+Inf"} 6',
        'alpha_ms_sum{svc="we\\"ird\\n"} 42.5',
        'alpha_ms_count{svc="we\\"ird\\n"} 6',
        "# HELP empty_gauge No samples yet.",
        "# TYPE empty_gauge gauge",
        "# HELP zeta_total Last family.",
        "# TYPE zeta_total counter",
        'zeta_total{code="200"} 5',
        'zeta_total{code="500"} 2',
        "",
      ].join("\n"),
    );
  });

  it("is read back unchanged by the strict parser", () => {
    const parsed = parsePrometheusText(encodePrometheus(families));
    expect(parsed.get("alpha_ms")!.help).toBe("A histogram\nwith a \\ in its help.");
    expect(parsed.get("alpha_ms")!.samples[0]!.labels).toEqual({ svc: 'we"ird\n', le: "1" });
    expect(parsed.get("zeta_total")!.samples.map((s) => s.value)).toEqual([5, 2]);
  });

  it.each<[string, MetricFamily]>([
    ["a bad metric name", { name: "9lives", help: "", type: "gauge", samples: [] }],
    ["a bad label name", { name: "g", help: "", type: "gauge", samples: [{ labels: [["a-b", "x"]], value: 1 }] }],
    [
      "a reserved label name",
      { name: "g", help: "", type: "gauge", samples: [{ labels: [["__name__", "x"]], value: 1 }] },
    ],
    [
      "a duplicate label",
      {
        name: "g",
        help: "",
        type: "gauge",
        samples: [
          {
            labels: [
              ["a", "1"],
              ["a", "2"],
            ],
            value: 1,
          },
        ],
      },
    ],
    [
      "`le` on a histogram",
      {
        name: "h",
        help: "",
        type: "histogram",
        bounds: [1],
        samples: [{ labels: [["le", "1"]], buckets: [0, 0], sum: 0, count: 0 }],
      },
    ],
  ])("refuses %s", (_name, family) => {
    expect(() => encodePrometheus([family])).toThrow(RangeError);
  });

  it("refuses two families with one name", () => {
    const f: MetricFamily = { name: "g", help: "", type: "gauge", samples: [] };
    expect(() => encodePrometheus([f, f])).toThrow(/duplicate metric family/);
  });
});

describe("parsePrometheusText (the test oracle itself)", () => {
  it.each([
    ["a missing final line feed", "a 1"],
    ["an invalid escape", 'a{x="\\t"} 1\n'],
    ["an unterminated label value", 'a{x="1} 1\n'],
    ["a duplicate label", 'a{x="1",x="2"} 1\n'],
    ["a duplicate series", "a 1\na 2\n"],
    ["a TYPE after samples", "a 1\n# TYPE a counter\n"],
    ["a family split in two", 'a 1\nb 1\na{x="y"} 1\n'],
    ["a bad value", "a one\n"],
    ["two spaces", "a  1\n"],
    ["a histogram without +Inf", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
    ["non-cumulative buckets", '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ["+Inf differing from _count", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n'],
    ["a negative counter", "# TYPE c counter\nc -1\n"],
  ])("rejects %s", (_name, text) => {
    expect(() => parsePrometheusText(text)).toThrow(SyntaxError);
  });
});

// Prometheus's own linter, when the machine has it (Debian package `prometheus`): proves the parse
// by Prometheus's parser. Its only complaint allowed is Istio's deliberate millisecond unit.
const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
describe.skipIf(promtool.error !== undefined)("promtool check metrics", () => {
  it("accepts the mesh's exposition", () => {
    const agg = createAggregate();
    const r = createRegistry("iso-1");
    record(r, { destination_service_name: "reviews", source_principal: 'cluster.local/ns/default/sa/"odd"\\' }, 12);
    record(r, { destination_service_name: "ratings", response_code: "503", response_flags: "UH,URX" }, 4000);
    mergeDelta(agg, takeDelta(r, 0)!, 0);
    setAggregateGauge(agg, "mesh_proxy_config_revision", { proxy: "proxy-1" }, 12, 0);
    const text = encodePrometheus(collectFamilies([agg]));
    const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    const problems = `${result.stdout}${result.stderr}`
      .split("\n")
      .filter((line) => line.trim() !== "" && !/use base unit "seconds" instead of "milliseconds"/.test(line));
    expect(problems).toEqual([]);
  });
});
