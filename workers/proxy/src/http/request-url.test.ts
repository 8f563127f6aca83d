import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalParts, RequestUrl } from "./request-url";

const FIELDS = ["protocol", "host", "hostname", "port", "pathname", "search"] as const;
const fieldsOf = (u: Pick<URL, (typeof FIELDS)[number]>) => Object.fromEntries(FIELDS.map((f) => [f, u[f]]));
/** What `new URL(href)` gives, or "invalid" (not `URL.canParse`: Node's optimised call misjudges non-ASCII input). */
const parsed = (href: string) => {
  try {
    return fieldsOf(new URL(href));
  } catch {
    return "invalid";
  }
};
const ours = (href: string) => {
  try {
    return fieldsOf(new RequestUrl(href));
  } catch {
    return "invalid";
  }
};

describe("RequestUrl", () => {
  it.each([
    // Cut at the delimiters (already canonical).
    ["http://bench.localhost/api/v1/items/42", true],
    ["https://bench.localhost:8443/a/b?x=1&y=%20z", true],
    ["http://reviews.default.svc.cluster.local/x?", true],
    ["http://a-b.localhost/p;q=1/(x)*~!$&'+,=:@", true],
    ["http://a.localhost/%zz?%zz", true],
    // Handed to the URL parser, which rewrites something.
    ["http://Bench.localhost/x", false],
    ["http://bench.localhost:80/x", false],
    ["https://bench.localhost:443/x", false],
    ["http://bench.localhost:08/x", false],
    ["http://bench.localhost/a/../b", false],
    ["http://bench.localhost/a/./b", false],
    ["http://bench.localhost/a/%2E%2e/b", false],
    ["http://bench.localhost/x\\y", false],
    ["http://bench.localhost/a b", false],
    ["http://bench.localhost/é", false],
    ["http://bench.localhost/x?a'b", false],
    ["http://bench.localhost/x#frag", false],
    ["http://user:pw@bench.localhost/x", false],
    ["http://127.0.0.1:8787/x", false],
    ["http://[::1]:8787/x", false],
    ["http://xn--bcher-kva.example/x", false],
    ["http://bench.localhost./x", false],
    ["http://bench..localhost/x", false],
    ["http://bench.localhost", false],
    ["ws://bench.localhost/x", false],
  ])("%s: fields equal the URL parser's (fast path: %s)", (href, fast) => {
    expect(canonicalParts(href) !== null).toBe(fast);
    expect(ours(href)).toEqual(parsed(href));
  });

  it("equals the URL parser on arbitrary request URLs, on both paths", () => {
    // Mostly characters the parser keeps, so that many URLs take the fast path; now and then one it rewrites.
    const mostly = (common: string, rare: string, maxLength: number, minLength = 0) =>
      fc.string({
        minLength,
        unit: fc.oneof(
          { arbitrary: fc.constantFrom(...common), weight: 20 },
          { arbitrary: fc.constantFrom(...rare), weight: 1 },
        ),
        maxLength,
      });
    const label = mostly("abcz019-", "XA_%é.:@[", 8, 1);
    const segment = mostly("abz09-._~!$&'()*+,;=:@%", '.%2eE/\\ é"<>`{}^|[]#?', 10);
    const href = fc
      .tuple(
        fc.constantFrom("http://", "https://", "http://", "https://", "HTTP://", "ws://"),
        fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join(".")),
        fc.constantFrom("", "", "", "", "", "", ":8787", ":8787", ":1", ":80", ":443", ":0", ":65535", ":65536", ":08"),
        fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join("/")}`),
        fc.option(mostly("abz09-._~!$&()*+,;=:@/?%[]", "'\" <>#é`{}^|\\", 12), { nil: null }),
      )
      .map(([scheme, host, port, path, query]) => `${scheme}${host}${port}${path}${query === null ? "" : `?${query}`}`);
    let fast = 0;
    fc.assert(
      fc.property(href, (h) => {
        if (canonicalParts(h) !== null) fast++;
        expect(ours(h)).toEqual(parsed(h));
      }),
      { numRuns: 5000 },
    );
    // The comparison covers both paths (about one URL in eight is cut at its delimiters).
    expect(fast).toBeGreaterThan(400);
    expect(fast).toBeLessThan(4500);
  });

  it("sets a path as the URL parser writes it", () => {
    const url = new RequestUrl("http://bench.localhost/a//b");
    url.pathname = "/admin/x y";
    expect(url.pathname).toBe("/admin/x%20y");
    expect(url.host).toBe("bench.localhost");
  });

  it("reads the query on demand and re-serialises it when parameters are removed", () => {
    const url = new RequestUrl("http://bench.localhost/x?token=abc&keep=1%202&token=d");
    expect(url.searchParams.getAll("token")).toEqual(["abc", "d"]);
    url.deleteSearchParams(["token"]);
    expect(url.search).toBe("?keep=1+2");
    url.deleteSearchParams(["keep"]);
    expect(url.search).toBe("");
    const reference = new URL("http://bench.localhost/x?token=abc&keep=1%202");
    reference.searchParams.delete("token");
    expect(new RequestUrl("http://bench.localhost/x?token=abc&keep=1%202").search).toBe("?token=abc&keep=1%202");
    const removed = new RequestUrl("http://bench.localhost/x?token=abc&keep=1%202");
    removed.deleteSearchParams(["token"]);
    expect(removed.search).toBe(reference.search);
  });

  it("refuses what the URL parser refuses", () => {
    expect(() => new RequestUrl("not a url")).toThrow(TypeError);
  });
});
