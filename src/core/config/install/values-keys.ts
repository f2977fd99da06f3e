// Unknown keys under an IstioOperator's `spec.values`. istioctl 1.26 reads the values into its
// Values proto with jsonpb's default Unmarshaler (operator/pkg/apis/value_types_json.go), which
// refuses a field the proto does not have: `istioctl install` and `manifest generate` fail.
// `spec.unvalidatedValues` is the place for free-form values. The key tree is generated from
// the 1.26 proto (values-tree.ts); below Struct, Value, maps and Kubernetes types anything goes.
import { closest, type SchemaIssue } from '../schemas/index.ts';
import { VALUES_MESSAGES, VALUES_NEWER, VALUES_PROTO_NAMES } from './values-tree.ts';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The message a shape names (`PortsConfig[]` -> PortsConfig), or undefined for `*` and scalars. */
function messageOf(shape: string): string | undefined {
  const name = shape.endsWith('[]') ? shape.slice(0, -2) : shape;
  return VALUES_MESSAGES[name] ? name : undefined;
}

/** The shape of `key` in `message`, by its JSON name or its proto name. */
function shapeOf(message: string, key: string): string | undefined {
  const fields = VALUES_MESSAGES[message] ?? {};
  if (Object.hasOwn(fields, key)) return fields[key];
  const json = VALUES_PROTO_NAMES[`${message}.${key}`];
  return json ? fields[json] : undefined;
}

/** Every dotted path (below Values) whose last key is `key`: `replicaCount` -> pilot.replicaCount. */
function pathsOf(key: string, message = 'Values', prefix: string[] = [], seen = new Set<string>()): string[] {
  if (seen.has(message)) return [];
  seen.add(message);
  const out: string[] = [];
  for (const [k, shape] of Object.entries(VALUES_MESSAGES[message] ?? {})) {
    if (k === key) out.push([...prefix, k].join('.'));
    const child = messageOf(shape);
    if (child) out.push(...pathsOf(key, child, [...prefix, k], new Set(seen)));
  }
  return out;
}

/** The near misses to offer: a sibling by spelling, else the same key elsewhere (at most 3). */
function suggestionsFor(message: string, key: string, path: (string | number)[]): string[] {
  const sibling = closest(key, Object.keys(VALUES_MESSAGES[message] ?? {}));
  if (sibling) return [sibling];
  const here = path.filter((p) => typeof p === 'string').join('.');
  const elsewhere = pathsOf(key).filter((p) => p !== here);
  return elsewhere.length <= 3 ? elsewhere : [];
}

/**
 * The keys of `values` (an IstioOperator's spec.values) that Istio 1.26's Values proto does
 * not have, with paths relative to the spec (`values`, `pilot`, `replicaCont`).
 */
export function valuesKeyIssues(values: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const walk = (v: unknown, message: string, path: (string | number)[]) => {
    if (!isMap(v)) return; // a wrong type is the type check's to report
    for (const [key, value] of Object.entries(v)) {
      const at = [...path, key];
      const shape = shapeOf(message, key);
      if (shape === undefined) {
        // a field a later release added: say so, rather than guess a near miss
        const added = VALUES_NEWER[`${message}.${key}`];
        const near = added ? [] : suggestionsFor(message, key, at.slice(1));
        const hint = added
          ? ` (Istio ${added} added it)`
          : near.length
            ? ` (did you mean ${near.map((n) => `"${n}"`).join(' or ')}?)`
            : '';
        issues.push({
          path: at,
          kind: 'unknown-field',
          message: `unknown field "${key}"${hint}: istioctl 1.26 refuses the IstioOperator (its Values have no such field); free-form values go under spec.unvalidatedValues`,
          ...(near[0] ? { suggestion: near[0] } : {}),
        });
        continue;
      }
      const child = messageOf(shape);
      if (!child || value === null) continue;
      if (shape.endsWith('[]')) {
        if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, child, [...at, i]);
      } else walk(value, child, at);
    }
  };
  walk(values, 'Values', ['values']);
  return issues;
}
