// Redirect Location building: scheme, host, port defaults (Gateway API), path replacement, status.
import { describe, expect, it } from "vitest";
import { RedirectModel } from "../model/snapshot";
import { buildRedirect, type RedirectRequest } from "./redirect";

const base: RedirectRequest = {
  scheme: "http",
  hostname: "reviews.localhost",
  port: 8787,
  path: "/v1/x",
  search: "?a=1",
};

describe("buildRedirect", () => {
  it.each([
    ["keeps everything by default, 302", {}, base, null, 302, "http://reviews.localhost:8787/v1/x?a=1"],
    [
      "scheme change implies its well-known port",
      { scheme: "https" },
      base,
      null,
      302,
      "https://reviews.localhost/v1/x?a=1",
    ],
    ["explicit port", { scheme: "https", port: 8443 }, base, null, 302, "https://reviews.localhost:8443/v1/x?a=1"],
    ["well-known port is omitted", { port: 80 }, base, null, 302, "http://reviews.localhost/v1/x?a=1"],
    [
      "request without port",
      { hostname: "example.com" },
      { ...base, port: null },
      null,
      302,
      "http://example.com/v1/x?a=1",
    ],
    [
      "ReplaceFullPath and status",
      { path: { type: "ReplaceFullPath", value: "/new" }, statusCode: 301 },
      base,
      null,
      301,
      "http://reviews.localhost:8787/new?a=1",
    ],
    [
      "ReplacePrefixMatch",
      { path: { type: "ReplacePrefixMatch", value: "/v2" } },
      base,
      { value: "/v1", segmentWise: true },
      302,
      "http://reviews.localhost:8787/v2/x?a=1",
    ],
  ])("%s", (_name, model, req, prefix, status, location) => {
    expect(buildRedirect(RedirectModel.parse(model), req, prefix)).toEqual({ status, location });
  });
});
