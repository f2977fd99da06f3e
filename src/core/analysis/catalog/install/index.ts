// Texts of the install group's findings: injection and revisions (istioctl's
// IST0102, IST0103, IST0123, IST0135, IST0158, texts from pkg/config/analysis/msg/messages.yaml)
// and the trainer's upgrade checks (ICA11xx). Sorted by code.
import { entry } from '../entry.ts';

export const INSTALL_ENTRIES = {
  ICA1101: entry<{ tag: string; revision: string; installed: string }>({
    code: 'ICA1101',
    name: 'RevisionTagWithoutRevision',
    level: 'Error',
    description: 'A revision tag points at a revision whose istiod is not installed.',
    message: (p) =>
      `Revision tag "${p.tag}" points at revision "${p.revision}", which is not installed (installed: ${p.installed})`,
    explanation:
      "The tag's webhook sends every pod of the namespaces labelled with the tag to that revision's istiod; with it gone, pod creation there fails or the pods start without a proxy (the webhook's failurePolicy decides).",
    fix: (p) =>
      `Move the tag to an installed revision (istioctl tag set ${p.tag} --revision <rev> --overwrite), or reinstall revision ${p.revision}.`,
  }),
  ICA1102: entry<{ pod: string; running: string; selected: string }>({
    code: 'ICA1102',
    name: 'ProxyOfOtherRevision',
    level: 'Warning',
    description: "A pod's sidecar comes from another revision than the one its namespace now selects.",
    message: (p) =>
      `Pod ${p.pod} runs a proxy injected by revision "${p.running}", but its namespace now selects "${p.selected}"`,
    explanation:
      'Injection happens only when a pod is created: relabelling a namespace or moving a tag changes nothing in running pods, which keep the old proxy (and its control plane) until they are recreated.',
    fix: 'Restart the workload (kubectl rollout restart deployment -n <namespace> <name>) so its pods are injected by the new revision.',
  }),
  ICA1103: entry<{ field: string; where: string; suggestion?: string }>({
    code: 'ICA1103',
    name: 'MeshConfigFieldDropped',
    level: 'Warning',
    description:
      'A mesh config field that Istio does not know: istioctl and istiod drop it without an error.',
    message: (p) =>
      `Unknown mesh config field "${p.field}" in ${p.where}${p.suggestion ? `: did you mean "${p.suggestion}"?` : ''}`,
    explanation:
      'Mesh config is read with protobuf JSON that discards unknown fields (pkg/util/protomarshal ApplyJSON): nothing refuses it, and the setting you meant simply has no effect.',
    fix: (p) =>
      p.suggestion ? `Rename "${p.field}" to "${p.suggestion}".` : `Remove "${p.field}" or fix its name.`,
  }),
  ICA1104: entry<{ line: number; problem: string; fix: string }>({
    code: 'ICA1104',
    name: 'HelmInstallOrder',
    level: 'Error',
    description:
      'A step of a Helm install plan that cannot work when its turn comes: istiod before base, a gateway before istiod, ambient without cni or ztunnel, a namespace nothing created, a gateway outside its namespace.',
    message: (p) => `line ${p.line}: ${p.problem}`,
    explanation:
      "Istio's charts depend on each other: base brings the CRDs istiod watches, istiod injects the gateway's pods, ambient needs istiod, cni and ztunnel together. Helm installs each release on its own and checks none of this.",
    fix: (p) => `${p.fix.charAt(0).toUpperCase()}${p.fix.slice(1)}.`,
  }),
  IST0102: entry<{ namespace: string }>({
    code: 'IST0102',
    name: 'NamespaceNotInjected',
    level: 'Info',
    description: 'A namespace is not enabled for Istio injection.',
    message: (p) =>
      `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${p.namespace} istio-injection=enabled' to enable it, or 'kubectl label namespace ${p.namespace} istio-injection=disabled' to explicitly mark it as not needing injection.`,
    explanation:
      'Without istio-injection=enabled or an istio.io/rev label, pods created there get no sidecar (unless a pod opts in itself): no mTLS, routing or telemetry for them.',
    fix: (p) =>
      `kubectl label namespace ${p.namespace} istio-injection=enabled (or istio.io/rev=<revision>), then restart its workloads.`,
  }),
  IST0103: entry<{ pod: string }>({
    code: 'IST0103',
    name: 'PodMissingProxy',
    level: 'Warning',
    description: 'A pod is missing the Istio proxy.',
    message: (p) =>
      `The pod ${p.pod} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.`,
    explanation:
      'Its namespace is labelled for injection, but the pod was created before the label (or while the injector was down): injection happens only at pod creation, so it runs without a sidecar.',
    fix: 'Restart the workload (kubectl rollout restart deployment -n <namespace> <name>) so new pods are injected.',
  }),
  IST0123: entry<{ labels: string; wins: string }>({
    code: 'IST0123',
    name: 'NamespaceMultipleInjectionLabels',
    level: 'Warning',
    description: 'A namespace has more than one type of injection labels.',
    message: (p) =>
      `The namespace has more than one type of injection labels [${p.labels}], which may lead to undefined behavior. Make sure only one injection label exists.`,
    explanation: (p) =>
      `The revision webhooks only match namespaces without istio-injection, so ${p.wins}. A canary upgrade that adds istio.io/rev without removing istio-injection never reaches the new revision.`,
    fix: 'Remove one label: kubectl label namespace <ns> istio-injection- (keep istio.io/rev for revision-based upgrades).',
  }),
  IST0135: entry<{ annotation: string; extra: string }>({
    code: 'IST0135',
    name: 'DeprecatedAnnotation',
    level: 'Info',
    description: 'A resource is using a deprecated Istio annotation.',
    message: (p) =>
      `Annotation "${p.annotation}" has been deprecated${p.extra} and may not work in future Istio versions.`,
    explanation:
      'The injector still reads sidecar.istio.io/inject as an annotation, but the webhooks select pods by labels: as a label the decision is made before the injector is even called, and the annotation may stop working.',
    fix: 'Move it to the pod template\'s labels: spec.template.metadata.labels["sidecar.istio.io/inject"].',
  }),
  IST0158: entry<{ pods: string[]; image: string; injector: string }>({
    code: 'IST0158',
    name: 'PodsIstioProxyImageMismatchInNamespace',
    level: 'Warning',
    description:
      "Pods of an injected namespace whose istio-proxy image differs from the one the namespace's injector now injects.",
    message: (p) =>
      `The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: [${p.pods.join(' ')}]). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.`,
    explanation: (p) =>
      `${p.injector} now injects ${p.image}. The proxy image is written into a pod when it is created: an in-place upgrade (istioctl upgrade, helm upgrade istiod) changes the injector, not the pods already running, which keep the old proxy until they are recreated.`,
    fix: 'Restart the workloads listed (kubectl rollout restart deployment -n <namespace> <name>), then check istioctl proxy-status: every proxy should show the new version.',
  }),
};
