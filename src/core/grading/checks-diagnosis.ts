// Diagnosis labs: besides fixing a broken mesh, the learner names the cause in
// a short structured answer, a ConfigMap `diagnosis` in the workspace:
//
//   apiVersion: v1
//   kind: ConfigMap
//   metadata: {name: diagnosis}
//   data:
//     flag: NC                          # the response flag the symptom shows
//     resource: DestinationRule/reviews # Kind/name of the resource at fault
//     field: subsets                    # the field at fault (a path, indices optional)
//
// An ordinary Kubernetes object, so the workspace stays applyable. Each answer
// lists every (resource, field) that correctly names the cause: where two
// resources disagree (a route names a subset the DestinationRule lacks), either
// side is right.
import { DRILL_CONFIGMAP, drillState } from '../config/drill.ts';
import { proxyStatusRows } from '../envoy/proxy-status.ts';
import { envoyView } from '../envoy/view.ts';
import type { CheckResult, GradeContext } from './types.ts';

export const DIAGNOSIS_NAME = 'diagnosis';

export interface DiagnosisAnswer {
  /** the response flag, e.g. NC; `-` when the requests succeed and the log shows none */
  flag: string;
  /** accepted causes: Kind (canonical) / name, and field paths (normalised, prefixes allowed) */
  causes: { kind: string; name: string; fields: string[] }[];
  /** what the flag means, shown when the flag is wrong */
  flagMeaning: string;
  /** other accepted spellings: the whole flag list the access log prints, e.g. UF,URX */
  alsoFlags?: string[];
}

const KINDS: Record<string, string> = {
  virtualservice: 'VirtualService',
  virtualservices: 'VirtualService',
  vs: 'VirtualService',
  destinationrule: 'DestinationRule',
  destinationrules: 'DestinationRule',
  dr: 'DestinationRule',
  gateway: 'Gateway',
  gateways: 'Gateway',
  gw: 'Gateway',
  serviceentry: 'ServiceEntry',
  serviceentries: 'ServiceEntry',
  se: 'ServiceEntry',
  service: 'Service',
  svc: 'Service',
  deployment: 'Deployment',
  deploy: 'Deployment',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  namespace: 'Namespace',
  namespaces: 'Namespace',
  ns: 'Namespace',
  peerauthentication: 'PeerAuthentication',
  peerauthentications: 'PeerAuthentication',
  pa: 'PeerAuthentication',
  authorizationpolicy: 'AuthorizationPolicy',
  authorizationpolicies: 'AuthorizationPolicy',
  ap: 'AuthorizationPolicy',
};

/** How a learner may write "no flag" (the log shows `-`: the requests succeed). */
const NO_FLAG = new Set(['-', 'NONE', '200']);

/** `DestinationRule/reviews`, `dr reviews`, `destinationrule.networking.istio.io/reviews.default`. */
export function parseResource(text: string): { kind: string; name: string } | undefined {
  const m = /^\s*([A-Za-z][\w.-]*?)(?:\.[a-z.]+\.io)?\s*[/ ]\s*([a-z0-9][a-z0-9.-]*)\s*$/.exec(text);
  if (!m) return undefined;
  const kind = KINDS[m[1]!.toLowerCase()];
  if (!kind) return undefined;
  const name = m[2]!.split('.')[0]!;
  return { kind, name };
}

/** `spec.http[0].route[0].destination.subset` -> `http.route.destination.subset`. */
export function normaliseField(text: string): string {
  return text
    .trim()
    .replace(/\[[^\]]*\]/g, '')
    .replace(/^spec\./, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

function fail(reason: string): CheckResult {
  return { pass: false, reason };
}

/** Grades the learner's diagnosis ConfigMap against an answer. */
export function expectDiagnosis(ctx: GradeContext, answer: DiagnosisAnswer): CheckResult {
  const cm = ctx.snapshot.list('ConfigMap').find((r) => r.name === DIAGNOSIS_NAME);
  if (!cm)
    return fail(
      `no ConfigMap "${DIAGNOSIS_NAME}" with your diagnosis (flag, resource, field) in the workspace`,
    );
  const data = (cm.raw.data ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string).trim() : '');
  let flag = text('flag').toUpperCase().replace(/\s+/g, '');
  if (!flag) return fail('the diagnosis names no response flag (data.flag; `-` when the log shows none)');
  if (NO_FLAG.has(flag)) flag = '-';
  if (flag !== answer.flag && !answer.alsoFlags?.includes(flag))
    return fail(
      `the symptom's response flag is not ${flag}: read the access log line again (${answer.flagMeaning.split(':')[0]} is what it shows)`,
    );
  const resource = parseResource(text('resource'));
  if (!resource)
    return fail(`data.resource "${text('resource')}": write Kind/name, e.g. DestinationRule/reviews`);
  const field = normaliseField(text('field'));
  if (!field) return fail('the diagnosis names no field (data.field), e.g. spec.subsets');
  const sameResource = answer.causes.filter((c) => c.kind === resource.kind && c.name === resource.name);
  if (sameResource.length === 0)
    return fail(
      `${resource.kind}/${resource.name} is not where the cause is: ${flag} comes from somewhere else`,
    );
  const hit = sameResource.some((c) => c.fields.some((f) => field === f || field.startsWith(`${f}.`)));
  if (!hit)
    return fail(
      `${resource.kind}/${resource.name} is the right resource, but its field ${text('field')} is not the cause`,
    );
  return {
    pass: true,
    reason: `${flag} (${answer.flagMeaning}), caused by ${resource.kind}/${resource.name} ${text('field')}`,
  };
}

/**
 * istiod runs: the drill does not declare it down, and the istiod Deployment the lab gave
 * is still there with replicas (deleting it would only hide it from the model).
 */
export function expectIstiodUp(ctx: GradeContext): CheckResult {
  const d = drillState(ctx.snapshot);
  if (d.istiodDown) return fail(`istiod is down: ${d.downBecause}`);
  const istiod = ctx.snapshot
    .list('Deployment')
    .find((r) => r.name === 'istiod' && r.namespace === 'istio-system');
  if (!istiod)
    return fail('no Deployment istio-system/istiod in your files: bring it back, do not delete it');
  const replicas = (istiod.raw.spec as { replicas?: unknown } | undefined)?.replicas ?? 1;
  return { pass: true, reason: `istiod runs (${String(replicas)} replica${replicas === 1 ? '' : 's'})` };
}

/**
 * Every proxy SYNCED in proxy-status (NOT SENT counts: a gateway no Gateway selects), with
 * the drill still saying what it said: `stale` and `unpushed` describe the cluster.
 */
export function expectProxiesSynced(
  ctx: GradeContext,
  drill: { stale: readonly string[]; unpushed: readonly string[] },
): CheckResult {
  const d = drillState(ctx.snapshot);
  const missing = [
    ...drill.stale.filter((s) => !d.stale.has(s)),
    ...drill.unpushed.filter((u) => !d.unpushed.has(u)),
  ];
  if (missing.length > 0)
    return fail(
      `the ConfigMap istio-system/${DRILL_CONFIGMAP} no longer says ${missing.join(', ')}: it describes the cluster, put it back as it was`,
    );
  if (d.istiodDown) return fail('proxy-status cannot answer: istiod is down');
  const rows = proxyStatusRows(envoyView(ctx.snapshot));
  const behind = rows.filter((r) => [r.cds, r.lds, r.eds, r.rds].includes('STALE')).map((r) => r.name);
  if (behind.length > 0)
    return fail(
      `STALE in proxy-status: ${behind.join(', ')} (they have not acknowledged istiod's last push and run an older configuration)`,
    );
  return { pass: true, reason: `all ${rows.length} proxies SYNCED` };
}
