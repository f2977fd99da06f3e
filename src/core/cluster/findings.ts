// Info findings (ICA0201, from the message catalog) for what a live analysis could
// not read (partial results); the texts depend on why, so they are composed here.
import { createFinding } from '../analysis/create-finding.ts';
import type { Finding } from '../analysis/finding.ts';
import type { Rule } from '../analysis/rule.ts';
import type { Kind } from '../config/resource.ts';
import { deniedText } from './errors.ts';
import type { ReadNote } from './live-source.ts';

function info(detail: string, why: string, fix: string): Finding {
  return createFinding('ICA0201', { detail, why, fix });
}

const GATEWAY_API = 'gateway-api';

function rulesReading(kind: Kind | typeof GATEWAY_API, rules: readonly Rule[]): string {
  const names = rules
    .filter((r) => (kind === GATEWAY_API ? r.readsGatewayApi : !r.perResource && r.reads.includes(kind)))
    .map((r) => r.name);
  return names.length ? names.join(', ') : 'none';
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * For a live grade: what the read could not see, in one line (a failure may come from it),
 * or undefined when it saw everything it lists. The Gateway API's gaps are the snapshot's
 * own note (gatewayApiUnknown).
 */
export function liveReadGaps(notes: readonly ReadNote[], namespace: string | undefined): string | undefined {
  const narrowed = notes.filter((n) => n.reason === 'namespace-only').map((n) => n.kind);
  const unread = notes
    .filter((n) => n.reason === 'forbidden' || n.reason === 'discovery-forbidden')
    .map((n) => n.kind);
  const some = (kinds: string[]) =>
    kinds.length > 3 ? `${kinds.slice(0, 3).join(', ')} and ${kinds.length - 3} more kinds` : listOf(kinds);
  const parts = [
    ...(narrowed.length && namespace
      ? [
          `read in namespace ${namespace} only (your credentials may not list ${some(narrowed)} cluster-wide), so istio-system's and other namespaces' were not seen`,
        ]
      : []),
    ...(unread.length ? [`not readable with your credentials: ${some(unread)}`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}

export function readNoteFindings(
  notes: readonly ReadNote[],
  rules: readonly Rule[],
  namespace: string | undefined,
): Finding[] {
  const out: Finding[] = [];
  const narrowed: string[] = [];
  for (const note of notes) {
    switch (note.reason) {
      case 'forbidden':
        out.push(
          info(
            `Skipped ${note.resource}: forbidden: ${deniedText(note.denied)}; rules not run: ${rulesReading(note.kind, rules)}`,
            `Your credentials may not read ${note.resource}, so the checks that need them did not run (they would report every reference to them as missing). The other findings are complete.`,
            `Ask for get/list on ${note.resource} (a Role in the namespace, or a ClusterRole), or run as a user who has it.`,
          ),
        );
        break;
      case 'not-served':
        out.push(
          info(
            `Skipped ${note.resource}: the API server does not serve it; rules not run: ${rulesReading(note.kind, rules)}`,
            `The ${note.kind} CRD is not installed, so no ${note.kind} can exist and the checks that read them did not run.`,
            "Install Istio's CRDs completely (istioctl install --set profile=demo -y).",
          ),
        );
        break;
      case 'discovery-forbidden':
        out.push(
          info(
            `Skipped ${note.resource}: API discovery of its group is forbidden: ${deniedText(note.denied)}; rules not run: ${rulesReading(note.kind, rules)}`,
            `Your credentials may not discover ${note.resource.split('.').slice(1).join('.')}, so its kinds were not read and the checks that need them did not run.`,
            'Ask for the system:discovery ClusterRole (every authenticated user has it by default), or run as a user who has it.',
          ),
        );
        break;
      case 'namespace-only':
        narrowed.push(note.resource);
        break;
      case 'gateway-api-not-served':
        out.push(
          info(
            `Read no ${note.resource}: the API server does not serve ${note.kinds.length > 1 ? 'them' : 'it'}, so there are no ${listOf(note.kinds.map((k) => (k === 'Gateway' ? 'waypoints' : 'HTTPRoutes')))}`,
            'Without the Kubernetes Gateway API CRDs no waypoint (a Gateway of class istio-waypoint) can exist: ambient workloads get L4 only, and a VirtualService or L7 policy for them has no waypoint to run in. The ambient checks ran on that.',
            'To use waypoints, install the Gateway API CRDs (kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/standard-install.yaml) before istioctl waypoint apply.',
          ),
        );
        break;
      case 'gateway-api-forbidden':
        out.push(
          info(
            `Skipped ${note.resource}: forbidden: ${deniedText(note.denied)}; rules not run: ${rulesReading(GATEWAY_API, rules)}`,
            'Your credentials may not read the Gateway API kinds, so waypoints and HTTPRoutes are unknown and the checks that need them did not run (they would report every waypoint as missing).',
            `Ask for get/list on ${note.resource} (a Role in the namespace, or a ClusterRole), or run as a user who has it.`,
          ),
        );
        break;
      case 'credential-forbidden':
        out.push(
          info(
            `Could not read Secret ${note.denied.namespace}/${note.name} (a Gateway's credentialName): forbidden: ${deniedText(note.denied)}; its certificate, hosts and CA were not checked`,
            'The gateway presents the certificate in this Secret and, for tls.mode MUTUAL, checks client certificates against its ca.crt (or a Secret <name>-cacert). Without get on it the trainer cannot tell whether they are usable, so the TLS checks assumed they are.',
            `Ask for get on secrets/${note.name} in ${note.denied.namespace} (a Role with resourceNames), or run as a user who has it.`,
          ),
        );
        break;
      case 'mesh-config-forbidden':
        out.push(
          info(
            `Could not read the mesh config (ConfigMap ${note.denied.namespace}/istio): forbidden; assuming outboundTrafficPolicy ALLOW_ANY`,
            'The outbound traffic policy decides whether external hosts need a ServiceEntry; the checks that depend on it assumed the default.',
            'Pass --outbound-mode REGISTRY_ONLY if the mesh uses it, or ask for get on configmaps in istio-system.',
          ),
        );
        break;
    }
  }
  if (narrowed.length && namespace) {
    out.push(
      info(
        `Listed ${listOf(narrowed)} only in namespace ${namespace}: listing them in all namespaces is forbidden`,
        'References into other namespaces (for example a Gateway in istio-system, or the ingress gateway pods there) could not be checked and may be reported as missing.',
        `Ask for cluster-wide get/list on ${listOf(narrowed)} (a ClusterRole), or read findings about references into other namespaces with care.`,
      ),
    );
  }
  return out;
}
