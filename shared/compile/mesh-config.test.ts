import { describe, expect, it } from "vitest";
import { MeshConfigModel } from "../model/snapshot";
import type { MeshConfigResource } from "../resources/registry";
import { validateDocuments } from "../validate/validate-documents";
import { FM, doc, expectRejection, type Rejection } from "../validate/testing/documents";
import { compileMeshConfig } from "./mesh-config";

const meshConfig = (spec: MeshConfigResource["spec"]): MeshConfigResource =>
  ({
    apiVersion: FM,
    kind: "MeshConfig",
    metadata: { name: "default", namespace: "default" },
    spec,
  }) as MeshConfigResource;

describe("MeshConfig tracing (samplingPercent, propagation)", () => {
  it.each([
    ["no MeshConfig: absent (100% for new traces)", undefined, undefined],
    ["no tracing section", meshConfig({}), undefined],
    ["tracing without a percentage", meshConfig({ tracing: {} }), undefined],
    ["0%", meshConfig({ tracing: { samplingPercent: 0 } }), { samplingPercent: 0 }],
    ["12.5%", meshConfig({ tracing: { samplingPercent: 12.5 } }), { samplingPercent: 12.5 }],
    ["100%", meshConfig({ tracing: { samplingPercent: 100 } }), { samplingPercent: 100 }],
    ["W3C only", meshConfig({ tracing: { propagation: ["tracecontext"] } }), { propagation: ["tracecontext"] }],
    [
      "both settings",
      meshConfig({ tracing: { samplingPercent: 10, propagation: ["b3multi", "tracecontext"] } }),
      { samplingPercent: 10, propagation: ["b3multi", "tracecontext"] },
    ],
  ])("%s", (_name, resource, expected) => {
    const mesh = compileMeshConfig(resource);
    expect(mesh.tracing).toEqual(expected);
    // The compiled section is what the snapshot model accepts.
    expect(MeshConfigModel.parse(mesh).tracing).toEqual(expected);
  });

  it("accepts a valid tracing section", () => {
    expect(validateDocuments([doc(FM, "MeshConfig", "default", { tracing: { samplingPercent: 5 } })]).ok).toBe(true);
    const propagation = { tracing: { propagation: ["tracecontext", "b3"] } };
    expect(validateDocuments([doc(FM, "MeshConfig", "default", propagation)]).ok).toBe(true);
  });

  const REJECTIONS: Rejection[] = [
    [
      "sampling above 100",
      doc(FM, "MeshConfig", "default", { tracing: { samplingPercent: 101 } }),
      "MeshConfig/default",
      "spec.tracing.samplingPercent",
      /between 0 and 100/,
    ],
    [
      "negative sampling",
      doc(FM, "MeshConfig", "default", { tracing: { samplingPercent: -1 } }),
      "MeshConfig/default",
      "spec.tracing.samplingPercent",
      /between 0 and 100/,
    ],
    [
      "sampling as a string",
      doc(FM, "MeshConfig", "default", { tracing: { samplingPercent: "10%" } }),
      "MeshConfig/default",
      "spec.tracing.samplingPercent",
      /number/,
    ],
    [
      "unknown tracing field",
      doc(FM, "MeshConfig", "default", { tracing: { sampling: 10 } }),
      "MeshConfig/default",
      "spec.tracing.sampling",
      /unknown|unrecognized/i,
    ],
  ];
  it.each(REJECTIONS)("rejects %s", (_name, document, label, path, message) =>
    expectRejection(document, label, path, message),
  );

  it("the snapshot model refuses an out-of-range percentage", () => {
    expect(MeshConfigModel.safeParse({ tracing: { samplingPercent: 150 } }).success).toBe(false);
  });
});

describe("MeshConfig requestId (setInResponse)", () => {
  it.each([
    ["no MeshConfig: absent (echoed)", undefined, undefined],
    ["no requestId section", meshConfig({}), undefined],
    ["an empty section", meshConfig({ requestId: {} }), undefined],
    ["not echoed", meshConfig({ requestId: { setInResponse: false } }), { setInResponse: false }],
    ["echoed, said explicitly", meshConfig({ requestId: { setInResponse: true } }), { setInResponse: true }],
  ])("%s", (_name, resource, expected) => {
    const mesh = compileMeshConfig(resource);
    expect(mesh.requestId).toEqual(expected);
    expect(MeshConfigModel.parse(mesh).requestId).toEqual(expected);
  });

  const REJECTIONS: Rejection[] = [
    [
      "setInResponse as a string",
      doc(FM, "MeshConfig", "default", { requestId: { setInResponse: "no" } }),
      "MeshConfig/default",
      "spec.requestId.setInResponse",
      /true or false/,
    ],
    [
      "an unknown requestId field",
      doc(FM, "MeshConfig", "default", { requestId: { header: "x-correlation-id" } }),
      "MeshConfig/default",
      "spec.requestId.header",
      /unknown|unrecognized/i,
    ],
  ];
  it.each(REJECTIONS)("rejects %s", (_name, document, label, path, message) =>
    expectRejection(document, label, path, message),
  );
});
