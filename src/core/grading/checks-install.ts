// Checks on what an install configuration would install (the IstioOperators
// among the learner's files, overlaid in order as istioctl -f does) and on
// which proxy each workload gets.
import { istioOperatorOf, type ResolvedInstall, resolveInstall } from '../config/install/index.ts';
import { mergeSpecs } from '../config/install/resolve.ts';
import { installedRevisions, resolveRevision, revisionTags } from '../config/install/tags.ts';
import { deploymentWorkload } from '../config/snapshot-objects.ts';
import { namespaceAmbient, namespaceInjection, namespaceRevision } from '../config/workload-facts.ts';
import { all, fail, pass } from './checks.ts';
import type { CheckResult, GradeContext } from './types.ts';

/** The install the learner's IstioOperators describe, or why there is none. */
export function installOf(ctx: GradeContext): ResolvedInstall | string {
  const operators = ctx.snapshot.list('IstioOperator');
  if (operators.length === 0) return 'no IstioOperator (install.istio.io/v1alpha1) in your files';
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
    const requests = c.resources?.requests ?? {};
    return all(
      ...Object.entries(wanted).map(([res, want]) => {
        const got = requests[res];
        return Math.abs(quantity(got) - quantity(want)) < 1e-9
          ? pass(`${name} requests ${res} ${String(got)}`)
          : fail(`${name} requests ${res} ${got === undefined ? '(unset)' : String(got)}, not ${want}`);
      }),
    );
  });
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
  return deploymentWorkload(d, namespaceInjection(ns), namespaceRevision(ns), namespaceAmbient(ns));
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
  if (w.sidecar !== want.sidecar)
    return fail(
      `${namespace}/${name} ${w.sidecar ? `gets a sidecar (revision ${w.revision ?? 'default'})` : 'gets no sidecar'}`,
    );
  // a revision tag (istio.io/rev=prod) injects from the revision its webhook points at
  const tags = revisionTags(ctx.snapshot.list('MutatingWebhookConfiguration'));
  const revision = resolveRevision(w.revision ?? 'default', tags);
  const via = revision !== (w.revision ?? 'default') ? ` through tag ${w.revision}` : '';
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
