// A values file (and --set overrides) checked against one of Istio's charts: unknown
// keys (with "did you mean", by spelling among their siblings or by the same key
// elsewhere in the chart: `minReplicas` at the top of gateway is `autoscaling.minReplicas`),
// values of the wrong type, keys of older or later charts. `--set` parsing (helm-set.ts)
// and what the release would run (release.ts) are re-exported from here.
import { closest, parseWithSchema } from '../../schemas/index.ts';
import { meshConfigSchema } from '../../schemas/install/mesh-config.ts';
import { istiodAsIstioctl, PILOT } from './chart-istiod.ts';
import { ANY_KEY } from './chart-shapes.ts';
import {
  CHARTS,
  type ChartName,
  ENUMS,
  LATER,
  REMOVED,
  type Shape,
  STRICT,
  type Tree,
  UNSURE,
} from './charts.ts';

export interface ValuesIssue {
  /** the key path: pilot.replicaCount */
  path: string[];
  message: string;
  /** error: helm refuses it, or the release would not be what was meant; warning: helm drops it */
  level: 'error' | 'warning';
}

const isTree = (s: Shape): s is Tree => typeof s === 'object';
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`);

/** Every path in the tree whose last key is `key` (for "did you mean pilot.replicaCount"). */
function pathsOf(tree: Tree, key: string, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, s] of Object.entries(tree)) {
    if (k === ANY_KEY) continue;
    if (k === key && prefix.length > 0) out.push([...prefix, k].join('.'));
    if (isTree(s)) out.push(...pathsOf(s, key, [...prefix, k]));
  }
  return out;
}

function leafProblem(
  leaf: Shape,
  v: unknown,
  strict: boolean,
): { message: string; level: 'error' | 'warning' } | undefined {
  if (v === null || v === undefined) return undefined; // null resets a default, as helm does
  switch (leaf) {
    case 'string':
      if (typeof v === 'string') return undefined;
      if (typeof v === 'number' && !strict)
        return {
          level: 'warning',
          message: `is a number (${v}), not a string: YAML reads an unquoted 1.20 as 1.2; quote it`,
        };
      return { level: 'error', message: `must be a string, not ${typeName(v)}` };
    case 'boolean':
      if (typeof v === 'boolean') return undefined;
      return {
        level: 'error',
        message:
          typeof v === 'string'
            ? `must be true or false, not the string "${v}" (a non-empty string counts as true in the chart's templates)`
            : `must be true or false, not ${typeName(v)}`,
      };
    case 'integer':
      return Number.isInteger(v)
        ? undefined
        : {
            level: 'error',
            message: `must be a whole number, not ${typeName(v)}${typeof v === 'string' ? ` "${v}"` : ''}`,
          };
    case 'number':
      return typeof v === 'number'
        ? undefined
        : { level: 'error', message: `must be a number, not ${typeName(v)}` };
    case 'int-or-string':
      return typeof v === 'number' || typeof v === 'string'
        ? undefined
        : { level: 'error', message: `must be a number or a string such as 25%, not ${typeName(v)}` };
    case 'bool-or-auto':
      return typeof v === 'boolean' || v === 'auto'
        ? undefined
        : { level: 'error', message: `must be true, false or "auto", not ${JSON.stringify(v)}` };
    case 'map':
      return isMap(v) ? undefined : { level: 'error', message: `must be a map of keys, not ${typeName(v)}` };
    case 'list':
      return Array.isArray(v) ? undefined : { level: 'error', message: `must be a list, not ${typeName(v)}` };
    default:
      return undefined;
  }
}

/**
 * The problems of `values` for `chart`. `istioctl`: istiod's values as an IstioOperator's
 * spec.values holds them (istiod's settings under pilot only, as istioctl's Values proto).
 */
export function checkValues(chart: ChartName, values: unknown, istioctl = false): ValuesIssue[] {
  const root = istioctl && chart === 'istiod' ? istiodAsIstioctl : CHARTS[chart];
  const strict = STRICT[chart];
  const removed = REMOVED[chart] ?? {};
  const later = LATER[chart] ?? {};
  const unsure = UNSURE[chart] ?? {};
  const issues: ValuesIssue[] = [];
  if (values === null || values === undefined) return issues;
  if (!isMap(values))
    return [
      { path: [], message: `the values must be a map of keys, not ${typeName(values)}`, level: 'error' },
    ];

  const walk = (tree: Tree, v: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(v)) {
      const at = [...path, key];
      const dotted = at.join('.');
      if (key === '_internal_defaults_do_not_set' && path.length === 0) {
        issues.push({
          path: at,
          level: 'warning',
          message:
            "holds the chart's own defaults: set its fields directly (pilot.replicaCount=2, not _internal_defaults_do_not_set.pilot.replicaCount=2)",
        });
        continue;
      }
      const why = removed[dotted] ?? later[dotted];
      if (why) {
        issues.push({
          path: at,
          level: strict ? 'error' : 'warning',
          message: `${removed[dotted] ? 'is no longer' : 'is not yet'} a value of the ${chart} chart in Istio 1.26 (helm ignores it): ${why}`,
        });
        continue;
      }
      const unsureWhy = unsure[dotted];
      if (unsureWhy) issues.push({ path: at, level: 'warning', message: unsureWhy });
      // an open map (ANY_KEY) types the keys it names and takes any other
      const shape = tree[key] ?? tree[ANY_KEY];
      if (shape === undefined) {
        const sibling = closest(
          key,
          Object.keys(tree).filter((k) => k !== ANY_KEY),
        );
        const elsewhere = pathsOf(root, key).filter((p) => p !== dotted);
        const hint = sibling
          ? `; did you mean "${[...path, sibling].join('.')}"?`
          : elsewhere.length
            ? `; did you mean "${elsewhere[0]}"?`
            : '';
        // the gateway schema's additionalProperties: false is on its top level only: a key
        // nested in service, autoscaling ... passes the schema and is dropped by the templates
        const refused = strict && path.length === 0;
        issues.push({
          path: at,
          level: refused ? 'error' : 'warning',
          message: refused
            ? `is not a value of the ${chart} chart: its values.schema.json refuses it and helm install fails (Istio 1.26.4 and later; 1.26.0-1.26.3 install and ignore it)${hint}`
            : strict
              ? `is not a value of the ${chart} chart: its values.schema.json checks only top-level keys, so helm installs and the templates ignore it (no effect)${hint}`
              : `is not a value of the ${chart} chart: helm ignores it and the setting has no effect${hint}`,
        });
        continue;
      }
      if (shape === 'mesh') {
        if (!isMap(value)) {
          if (value !== null)
            issues.push({
              path: at,
              level: 'error',
              message: `must be a map (a MeshConfig), not ${typeName(value)}`,
            });
          continue;
        }
        for (const issue of parseWithSchema(meshConfigSchema, value).issues) {
          const field = [...at, ...issue.path.map(String)];
          const hint = issue.suggestion ? `; did you mean "${issue.suggestion}"?` : '';
          issues.push(
            issue.kind === 'unknown-field'
              ? {
                  path: field,
                  level: 'warning',
                  message: `is not a MeshConfig field: istiod drops it and the setting has no effect${hint}`,
                }
              : {
                  path: field,
                  level: 'error',
                  message: `${issue.message}: istiod cannot read this mesh config and keeps the one it had`,
                },
          );
        }
        continue;
      }
      if (isTree(shape)) {
        if (value === null) continue;
        if (!isMap(value)) {
          issues.push({
            path: at,
            level: 'error',
            message: `must be a map${
              Object.keys(shape).some((k) => k !== ANY_KEY)
                ? ` with ${Object.keys(shape)
                    .filter((k) => k !== ANY_KEY)
                    .slice(0, 3)
                    .join(', ')}...`
                : ''
            }, not ${typeName(value)}`,
          });
          continue;
        }
        walk(shape, value, at);
        continue;
      }
      const problem = leafProblem(shape, value, strict);
      if (problem) issues.push({ path: at, ...problem });
      else issues.push(...enumProblems(chart, at, value));
    }
  };
  walk(root, values, []);
  if (chart === 'istiod' && !istioctl) issues.push(...bothSpellings(values));
  return issues;
}

/** A value the chart's schema lists the choices of (kind: Deployment or DaemonSet). */
function enumProblems(chart: ChartName, at: string[], value: unknown): ValuesIssue[] {
  const dotted = at.join('.');
  const one = ENUMS[chart]?.[dotted];
  const each = ENUMS[chart]?.[`${dotted}[]`];
  const bad = (allowed: readonly unknown[], v: unknown, path: string[]): ValuesIssue[] =>
    v === null || v === undefined || allowed.includes(v)
      ? []
      : [
          {
            path,
            level: 'error',
            message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, not ${JSON.stringify(v)}: the chart's values.schema.json refuses it and helm install fails`,
          },
        ];
  if (one) return bad(one, value, at);
  if (each && Array.isArray(value)) return value.flatMap((v, i) => bad(each, v, [...at, String(i)]));
  return [];
}

/**
 * istiod's settings set both at the top and under pilot with different values: 1.26's
 * chart reads both spellings, and which one wins is not pinned here.
 */
function bothSpellings(values: Record<string, unknown>): ValuesIssue[] {
  const pilot = values.pilot;
  if (!isMap(pilot)) return [];
  return Object.keys(PILOT)
    .filter(
      (k) =>
        values[k] !== undefined &&
        pilot[k] !== undefined &&
        JSON.stringify(values[k]) !== JSON.stringify(pilot[k]),
    )
    .map((k) => ({
      path: [k],
      level: 'warning' as const,
      message: `is set both here and as pilot.${k}, to different values: Istio 1.26's istiod chart reads both spellings; set it once`,
    }));
}

export { applyHelmSet } from './helm-set.ts';
export { type ReleaseSummary, summarizeRelease } from './release.ts';
