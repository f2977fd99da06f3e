// Checks on what an install configuration would install (the IstioOperators
// among the learner's files, overlaid in order as istioctl -f does) and on
// which proxy each workload gets.

import { injectorConfigMapName, injectorProxyImage } from '../analysis/rules/install/proxy-image.ts';
import { injectorsIn, withInjectors } from '../config/injectors.ts';
import { istioOperatorOf, type ResolvedInstall, resolveInstall } from '../config/install/index.ts';
import { mergeSpecs } from '../config/install/resolve.ts';
import { installedRevisions, resolveRevision, revisionTags } from '../config/install/tags.ts';
import type { Resource } from '../config/resource.ts';
import { deploymentWorkload } from '../config/snapshot-objects.ts';
import { namespaceAmbient, namespaceInjection, namespaceRevision } from '../config/workload-facts.ts';
import { all, fail, pass } from './checks.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** The install the learner's IstioOperators describe, or why there is none. */
export function installOf(ctx: GradeContext): ResolvedInstall | string {
  const operators = ctx.snapshot.list('IstioOperator');
  if (operators.length === 0) {
    // one that istioctl would refuse is in the files, just not installable: say that, not "none"
    const refused = [...ctx.snapshot.notApplied.keys()].find((r) => r.kind === 'IstioOperator');
    return refused
      ? `IstioOperator ${refused.namespace}/${refused.name} has an Error istioctl refuses (see the first criterion), so it installs nothing`
      : 'no IstioOperator (install.istio.io/v1alpha1) in your files';
  }
  let spec: Record<string, unknown> = {};
  for (const r of operators) {
    const model = istioOperatorOf(r);
    if (model.profileError) return model.profileError;
    spec = mergeSpecs(spec, model.spec);
  }
  return resolveInstall(spec);
}

function withInstall(ctx: GradeContext, check: (r: ResolvedInstall) => CheckResult): CheckResult {
  const r = installOf(ctx);
  return typeof r === 'string' ? fail(r) : check(r);
}

export function expectInstallProfile(ctx: GradeContext, profile: string): CheckResult {
  return withInstall(ctx, (r) =>
    r.profile === profile
      ? pass(`built on the ${profile} profile`)
      : fail(`built on the ${r.profile} profile, not ${profile}`),
  );
}

/** A component (by workload name: istiod, istio-egressgateway ...) installed or not. */
export function expectComponent(ctx: GradeContext, name: string, installed: boolean): CheckResult {
  return withInstall(ctx, (r) => {
    const c = r.components.find((x) => x.name === name && x.enabled);
    const others = r.components
      .filter((x) => x.enabled && x.kind !== 'base')
      .map((x) => x.name)
      .join(', ');
    if (Boolean(c) === installed) return pass(`${name} ${installed ? 'is' : 'is not'} installed`);
    return fail(`${name} ${installed ? 'is not' : 'is still'} installed (installed: ${others || 'nothing'})`);
  });
}

/** A mesh config field (dotted path) has the value istiod would serve. */
export function expectMeshSetting(ctx: GradeContext, path: string, value: unknown): CheckResult {
  return withInstall(ctx, (r) => {
    let cur: unknown = r.meshConfig;
    for (const k of path.split('.'))
      cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    return JSON.stringify(cur) === JSON.stringify(value)
      ? pass(`meshConfig.${path} is ${JSON.stringify(value)}`)
      : fail(
          `meshConfig.${path} is ${cur === undefined ? 'unset' : JSON.stringify(cur)}, not ${JSON.stringify(value)}`,
        );
  });
}

const UNITS: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
};

/** A Kubernetes quantity (500m, 2Gi, 2048Mi, 0.5) as a number; NaN when malformed. */
export function quantity(v: unknown): number {
  const m = /^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(String(v ?? ''));
  if (!m) return Number.NaN;
  return Number(m[1]) * (UNITS[m[2] ?? ''] ?? Number.NaN);
}

/** A component's resource requests equal these quantities (2Gi and 2048Mi alike). */
export function expectRequests(ctx: GradeContext, name: string, wanted: Record<string, string>): CheckResult {
  return withInstall(ctx, (r) => {
    const c = r.components.find((x) => x.name === name && x.enabled);
    if (!c) return fail(`${name} is not installed`);
    return requestsMatch(name, c.resources?.requests ?? {}, wanted);
  });
}

/** Two quantities are the same amount (2Gi and 2048Mi, 0.5 and 500m). */
export function sameQuantity(got: unknown, want: unknown): boolean {
  return Math.abs(quantity(got) - quantity(want)) < 1e-9;
}

/** Each wanted request is set to that amount: one result per resource, naming what it is. */
export function requestsMatch(
  name: string,
  requests: Record<string, unknown>,
  wanted: Record<string, string>,
): CheckResult {
  return all(
    ...Object.entries(wanted).map(([res, want]) => {
      const got = requests[res];
      return sameQuantity(got, want)
        ? pass(`${name} requests ${res} ${String(got)}`)
        : fail(`${name} requests ${res} ${got === undefined ? '(unset)' : String(got)}, not ${want}`);
    }),
  );
}

/**
 * What the next pod of a workload gets: a Deployment's template under its namespace's
 * labels now (in files and on a cluster alike: running pods keep the proxy they were
 * created with, which IST0158 and ICA1102 judge), else a pod of that name in the files.
 */
function nextPod(ctx: GradeContext, namespace: string, name: string) {
  const d = ctx.snapshot.list('Deployment').find((r) => r.namespace === namespace && r.name === name);
  if (!d) return ctx.snapshot.workloads(namespace).find((x) => x.name === name);
  const ns = ctx.snapshot.list('Namespace').find((n) => n.name === namespace);
  const w = deploymentWorkload(d, namespaceInjection(ns), namespaceRevision(ns), namespaceAmbient(ns));
  // as the snapshot's workloads: no sidecar where no injector serves the revision asked for
  return withInjectors(
    w,
    injectorsIn((k) => ctx.snapshot.list(k)),
    ns !== undefined,
    namespaceAmbient(ns),
  );
}

/** A workload's new pods get a sidecar (of a revision) or none, as injection decides. */
export function expectSidecar(
  ctx: GradeContext,
  namespace: string,
  name: string,
  want: { sidecar: boolean; revision?: string; via?: string },
): CheckResult {
  const w = nextPod(ctx, namespace, name);
  if (!w) return fail(`no Deployment ${namespace}/${name}`);
  // a revision tag (istio.io/rev=prod) injects from the revision its webhook points at
  const webhooks = ctx.snapshot.list('MutatingWebhookConfiguration');
  const tags = revisionTags(webhooks);
  const asked = w.revision ?? 'default';
  const revision = resolveRevision(asked, tags);
  const via = revision !== asked ? ` through tag ${w.revision}` : '';
  // with the control plane among the inputs, a revision none of its injectors serves
  // injects nothing (the workload model decides, injectors.ts, and says why)
  if (w.noInjector) {
    const said = `${namespace}/${name} gets no sidecar: ${w.noInjector}`;
    return want.sidecar ? fail(said) : pass(said);
  }
  if (w.sidecar !== want.sidecar)
    return fail(
      `${namespace}/${name} ${w.sidecar ? `gets a sidecar (revision ${revision}${via})` : 'gets no sidecar'}`,
    );
  if (want.sidecar && want.via && w.revision !== want.via)
    return fail(
      `${namespace}/${name} is injected by ${w.revision ?? 'default'}${via ? ` (${revision})` : ''}, not through the ${want.via} tag: the namespace's label was changed`,
    );
  if (want.sidecar && want.revision && revision !== want.revision)
    return fail(
      `${namespace}/${name} gets its sidecar from revision ${revision}${via}, not ${want.revision}`,
    );
  return pass(
    `${namespace}/${name} ${w.sidecar ? `gets a sidecar (revision ${revision}${via})` : 'gets no sidecar'}`,
  );
}

/** A revision is gone: its injector webhook removed and no revision tag pointing at it. */
export function expectNoRevision(ctx: GradeContext, revision: string): CheckResult {
  const webhooks = ctx.snapshot.list('MutatingWebhookConfiguration');
  const left: string[] = [];
  if (installedRevisions(webhooks).has(revision))
    left.push(`its injector istio-sidecar-injector-${revision} is still installed`);
  for (const t of revisionTags(webhooks))
    if (t.revision === revision) left.push(`tag ${t.tag} still points at ${revision}`);
  return left.length
    ? fail(`revision ${revision} is not gone: ${left.join('; ')}`)
    : pass(`nothing refers to revision ${revision}`);
}

const TRAFFIC_CONTAINERS = ['istio-proxy', 'istio-init'] as const;
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const recordOf = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** When `kubectl rollout restart` last restarted a Deployment (its template annotation). */
function restartedAt(d: Resource): string | undefined {
  const at = recordOf(recordOf(recordOf(recordOf(d.raw.spec).template).metadata).annotations)[RESTARTED_AT];
  return typeof at === 'string' && at ? at : undefined;
}

function selects(d: Resource, pod: Resource): boolean {
  const match = recordOf(recordOf(d.raw.spec).selector).matchLabels;
  const labels = Object.entries(recordOf(match));
  return labels.length > 0 && labels.every(([k, v]) => pod.labels[k] === v);
}

/**
 * Every pod of `namespace` runs the istio-proxy and istio-init images its namespace's
 * injector now injects, or is being replaced: its Deployment was restarted after the pod
 * was created (a pod the files no longer hold was deleted and recreated). A pod that
 * chose its own image (sidecar.istio.io/proxyImage) is left alone, as istioctl does.
 */
export function expectProxiesCurrent(ctx: GradeContext, namespace: string): CheckResult {
  const ns = ctx.snapshot.list('Namespace').find((n) => n.name === namespace);
  const label =
    ns?.labels['istio.io/rev'] ?? (ns?.labels['istio-injection'] === 'enabled' ? 'default' : undefined);
  if (!label) return fail(`namespace ${namespace} is not labelled for injection`);
  const tags = revisionTags(ctx.snapshot.list('MutatingWebhookConfiguration'));
  const name = injectorConfigMapName(resolveRevision(label, tags));
  const cm = ctx.snapshot.list('ConfigMap').find((c) => c.namespace === 'istio-system' && c.name === name);
  if (!cm)
    return fail(`no injector ConfigMap istio-system/${name}: cannot tell which proxy ${namespace} gets`);
  const want: Record<string, string> = {
    'istio-proxy': injectorProxyImage(cm, 'proxy'),
    'istio-init': injectorProxyImage(cm, 'proxy_init'),
  };
  const deployments = ctx.snapshot.list('Deployment').filter((d) => d.namespace === namespace);
  const stale: string[] = [];
  let replacing = 0;
  for (const pod of ctx.snapshot.list('Pod').filter((p) => p.namespace === namespace)) {
    const meta = recordOf(pod.raw.metadata);
    if (recordOf(meta.annotations)['sidecar.istio.io/proxyImage']) continue;
    const spec = recordOf(pod.raw.spec);
    const containers = [
      ...(Array.isArray(spec.containers) ? spec.containers : []),
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
    ].map(recordOf);
    const old = containers.filter(
      (c) => (TRAFFIC_CONTAINERS as readonly unknown[]).includes(c.name) && c.image !== want[String(c.name)],
    );
    if (old.length === 0) continue;
    const d = deployments.find((x) => selects(x, pod));
    const at = d ? restartedAt(d) : undefined;
    const created =
      typeof meta.creationTimestamp === 'string' ? Date.parse(meta.creationTimestamp) : undefined;
    if (at && (created === undefined || Date.parse(at) >= created)) {
      replacing++;
      continue;
    }
    const restart = d
      ? `: restart it (kubectl rollout restart deployment ${d.name} -n ${namespace})`
      : ': delete it so it is recreated';
    stale.push(
      `${pod.name} (${old.map((c) => `${String(c.name)} ${String(c.image)}`).join(', ')})${restart}`,
    );
  }
  if (stale.length)
    return fail(
      `${namespace} still runs proxies the injector no longer injects (it injects ${want['istio-proxy']}): ${stale.join('; ')}`,
      ['IST0158'],
    );
  return pass(
    `every pod of ${namespace} runs ${want['istio-proxy']}${replacing ? ` or is being replaced by a restart (${replacing})` : ''}`,
  );
}

/** These Deployments of `namespace` still exist and were not restarted (their pods were already current). */
export function expectNotRestarted(
  ctx: GradeContext,
  namespace: string,
  names: readonly string[],
): CheckResult {
  const out: CheckResult[] = [];
  for (const name of names) {
    const d = ctx.snapshot.list('Deployment').find((x) => x.namespace === namespace && x.name === name);
    if (!d)
      out.push(
        fail(
          `Deployment ${namespace}/${name} is gone: a restart recreates the pods, it does not delete the Deployment`,
        ),
      );
    else if (restartedAt(d))
      out.push(
        fail(
          `${namespace}/${name} was restarted (${RESTARTED_AT} ${restartedAt(d)}) although its pods already ran the new proxy: a needless restart`,
        ),
      );
    else out.push(pass(`${namespace}/${name} was left running`));
  }
  return all(...out);
}
