// The install model: an IstioOperator read once (schema issues, then resolved
// over its profile) and shared by the snapshot (its mesh config), the analyzer
// and the `install` command.
import type { Resource } from '../resource.ts';
import { parseWithSchema, type SchemaIssue } from '../schemas/index.ts';
import { istioOperatorSpec } from '../schemas/install/istio-operator.ts';
import { checkValues } from './helm/values.ts';
import { profileNamed } from './profiles.ts';
import { deepMerge, InstallResolveError, type ResolvedInstall, resolveInstall } from './resolve.ts';
import { valuesKeyIssues } from './values-keys.ts';

export { PROFILE_NAMES, PROFILES } from './profiles.ts';
export type { InstalledComponent, ResolvedInstall } from './resolve.ts';
export { deepMerge, enabledComponents, InstallResolveError, profileSpec, resolveInstall } from './resolve.ts';

/** Fields istioctl once accepted and Istio 1.26 no longer has: what to do instead. */
export const REMOVED_FIELDS: Record<string, string> = {
  addonComponents:
    'removed in Istio 1.8: Prometheus, Grafana, Kiali and Jaeger are installed from samples/addons with kubectl apply',
};

export interface IstioOperatorModel {
  spec: Record<string, unknown>;
  issues: SchemaIssue[];
  /** undefined when the profile is unknown (see profileError) */
  resolved?: ResolvedInstall;
  profileError?: string;
}

const cache = new WeakMap<object, IstioOperatorModel>();

/** Reads an IstioOperator's spec: schema issues (pruned), then resolution over its profile. */
export function readIstioOperator(rawSpec: unknown): IstioOperatorModel {
  const key = rawSpec && typeof rawSpec === 'object' ? rawSpec : undefined;
  const hit = key && cache.get(key);
  if (hit) return hit;
  const { spec, issues } = parseWithSchema(istioOperatorSpec, rawSpec);
  for (const issue of issues) {
    const field = issue.path.length === 1 ? String(issue.path[0]) : '';
    const why = REMOVED_FIELDS[field];
    // istioctl reads meshConfig with protojson's DiscardUnknown fallback: an unknown field is dropped
    if (issue.kind === 'unknown-field' && issue.path[0] === 'meshConfig') issue.dropped = true;
    if (issue.kind === 'unknown-field' && why) {
      issue.message = `field "${field}" was ${why}`;
      delete issue.suggestion;
    }
  }
  // wrongly typed values, then keys istioctl 1.26's Values proto does not have
  issues.push(...valuesTypeIssues(spec.values), ...valuesKeyIssues(spec.values));
  const model: IstioOperatorModel = { spec, issues };
  try {
    model.resolved = resolveInstall(spec);
  } catch (err) {
    if (!(err instanceof InstallResolveError)) throw err;
    model.profileError = err.message;
  }
  if (key) cache.set(key, model);
  return model;
}

/**
 * Wrongly typed `spec.values` (`pilot.replicaCount: abc`): istioctl 1.26's validateValues
 * (operator/pkg/apis/validation) unmarshals the values into its Values proto and refuses the
 * IstioOperator when that fails. Only the type errors of the istiod chart's checker are kept:
 * unknown keys are valuesKeyIssues' (the Values proto also holds gateways, cni ...).
 * jsonpb reads a quoted whole number ("2") into an integer field, so that one passes.
 */
function valuesTypeIssues(values: unknown): SchemaIssue[] {
  if (values === undefined) return [];
  const at = (path: string[]) =>
    path.reduce<unknown>(
      (cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined),
      values,
    );
  return (
    checkValues('istiod', values, true)
      .filter((i) => i.level === 'error' && !i.message.startsWith('is not a value'))
      .filter((i) => !(/whole number/.test(i.message) && /^-?\d+$/.test(String(at(i.path)))))
      // the chart's note on how its templates read a string is helm's business: istioctl refuses it
      .map((i) => ({
        path: ['values', ...i.path],
        kind: 'invalid' as const,
        message: `${i.message.replace(/ \(a non-empty string .*\)$/, '')}: istioctl cannot read the values`,
      }))
  );
}

/** The model of an IstioOperator resource. */
export function istioOperatorOf(r: Resource): IstioOperatorModel {
  return readIstioOperator(r.raw.spec ?? {});
}

/**
 * The mesh settings this IstioOperator sets: its profile's, then its own
 * (`profile: demo` turns on access logs). Istio's defaults are left out, so a
 * setting it leaves alone can still come from the istio ConfigMap.
 */
export function installMeshConfig(r: Resource): Record<string, unknown> | undefined {
  const model = istioOperatorOf(r);
  if (!model.resolved) return model.spec.meshConfig as Record<string, unknown> | undefined;
  const own = profileNamed(model.resolved.profile)?.spec.meshConfig;
  return deepMerge(own ?? {}, model.spec.meshConfig ?? {}) as Record<string, unknown>;
}
