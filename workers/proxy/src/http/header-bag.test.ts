import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeaderBag } from "./header-bag";

const inbound = () =>
  new Headers({ Host: "bench.localhost", "X-Tenant": "t1", "x-mesh-identity": "tok", accept: "*/*" });
const sorted = (h: Headers | HeaderBag) => [...h.entries()].sort(([a], [b]) => a.localeCompare(b));

describe("HeaderBag", () => {
  it("reads case-insensitively and keeps what the request arrived with", () => {
    const bag = new HeaderBag(inbound());
    expect(bag.get("x-tenant")).toBe("t1");
    expect(bag.get("X-TENANT")).toBe("t1");
    bag.delete("X-Mesh-Identity");
    bag.set("x-tenant", "t2");
    expect(bag.get("x-mesh-identity")).toBeNull();
    expect(bag.has("x-mesh-identity")).toBe(false);
    expect(bag.get("x-tenant")).toBe("t2");
    expect(bag.original("x-mesh-identity")).toBe("tok");
    expect(bag.original("X-Tenant")).toBe("t1");
    expect(bag.inboundReader.get("x-tenant")).toBe("t1");
  });

  it("toHeaders carries the net changes onto a copy of the inbound headers", () => {
    const source = inbound();
    const bag = new HeaderBag(source);
    bag.delete("x-mesh-identity");
    bag.set("X-Forwarded-Proto", "http");
    bag.append("accept", "text/html");
    bag.set("x-tenant", "t9");
    bag.set("x-tenant", "t1"); // back to the inbound value: nothing to replay
    bag.delete("absent");
    const out = bag.toHeaders();
    expect(sorted(out)).toEqual([
      ["accept", "*/*, text/html"],
      ["host", "bench.localhost"],
      ["x-forwarded-proto", "http"],
      ["x-tenant", "t1"],
    ]);
    // The request's own headers are untouched.
    expect(source.get("x-mesh-identity")).toBe("tok");
    expect(bag.toHeaders()).not.toBe(out);
  });

  it("trims values like Headers and refuses what Headers refuses when sent", () => {
    const bag = new HeaderBag(new Headers());
    bag.set("x-a", "  padded\t");
    expect(bag.get("x-a")).toBe("padded");
    bag.set("x-bad", "line\nbreak inside");
    expect(() => bag.toHeaders()).toThrow(TypeError);
  });

  it("lets forEach callbacks delete what they visit", () => {
    const bag = new HeaderBag(inbound());
    bag.forEach((_v, name) => {
      if (name.startsWith("x-")) bag.delete(name);
    });
    expect(sorted(bag)).toEqual([
      ["accept", "*/*"],
      ["host", "bench.localhost"],
    ]);
  });

  it("ends with the same headers as the same edits made on a Headers copy (property)", () => {
    const name = fc.constantFrom("host", "X-Tenant", "x-mesh-identity", "accept", "x-new", "X-New", "te");
    const value = fc.constantFrom("a", "b", " c ", "t1", "*/*");
    const op = fc.oneof(
      fc.tuple(fc.constant("set" as const), name, value),
      fc.tuple(fc.constant("append" as const), name, value),
      fc.tuple(fc.constant("delete" as const), name, value),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const bag = new HeaderBag(inbound());
        const reference = new Headers(inbound());
        for (const [kind, n, v] of ops) {
          if (kind === "delete") {
            bag.delete(n);
            reference.delete(n);
          } else {
            bag[kind](n, v);
            reference[kind](n, v);
          }
          expect(bag.get(n)).toBe(reference.get(n));
        }
        expect(sorted(bag.toHeaders())).toEqual(sorted(reference));
        expect(sorted(bag)).toEqual(sorted(reference));
        const visited: [string, string][] = [];
        bag.forEach((value, name) => visited.push([name, value]));
        expect(visited.sort(([a], [b]) => a.localeCompare(b))).toEqual(sorted(reference));
        for (const [n] of visited) expect(bag.has(n)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
