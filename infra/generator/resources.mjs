// The Service resources a manifest implies, so that `flaremesh apply -f` can register what was deployed.
export function serviceResources(manifest) {
  return manifest.spec.services.map((svc) => ({
    apiVersion: "flaremesh.dev/v1alpha1",
    kind: "Service",
    metadata: { name: svc.name, namespace: svc.namespace },
    spec: {
      endpoints: [
        ...svc.workers.map((w) =>
          typeof w === "string"
            ? { worker: w }
            : {
                worker: w.name,
                ...(w.weight !== undefined ? { weight: w.weight } : {}),
                ...(w.version ? { labels: { version: w.version } } : {}),
              },
        ),
        ...svc.origins.map((url) => ({ url })),
      ],
    },
  }));
}
