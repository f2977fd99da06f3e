// A Deployment as the samples write them (Bookinfo's, the gateways', the plaintext
// client's, fortio's, ext-authz's): one replica, whose pods carry the labels it selects.
// Each use passes only what differs: the labels, the pod spec, an annotation.

export interface DeploymentShape {
  name: string;
  namespace: string;
  /** the pods' labels, which the Deployment selects (and carries itself, unless `labelled` is false) */
  labels: Record<string, string>;
  /** the pod template's spec: containers, serviceAccountName ... */
  pod: Record<string, unknown>;
  podAnnotations?: Record<string, string>;
  labelled?: boolean;
}

/** The Deployment manifest; each labels map is its own copy (YAML written from it has no anchors). */
export function deploymentManifest(d: DeploymentShape): Record<string, unknown> {
  const labels = () => ({ ...d.labels });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace, ...(d.labelled === false ? {} : { labels: labels() }) },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels() },
      template: {
        metadata: { labels: labels(), ...(d.podAnnotations ? { annotations: { ...d.podAnnotations } } : {}) },
        spec: d.pod,
      },
    },
  };
}
