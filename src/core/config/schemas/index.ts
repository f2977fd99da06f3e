// Typed parsing of Istio specs. Unknown fields and wrong types are reported,
// then pruned (as the API server prunes unknown fields), so the rules still
// see every valid part of a resource.
import type { z } from 'zod';
import type { IstioKind } from '../resource.ts';
import { fastParse } from './fast-parse.ts';
import { NETWORKING_SCHEMAS } from './networking/index.ts';
import { proxyConfigSpec } from './networking/proxy-config.ts';
import { SECURITY_SCHEMAS } from './security/index.ts';
import { telemetrySpec } from './telemetry/telemetry.ts';

export type { Destination, StringMatch } from './common.ts';
export type {
  DestinationRuleSpec,
  GatewaySpec,
  HttpFault,
  HttpMatch,
  HttpRetry,
  HttpRoute,
  OutlierDetection,
  Server,
  ServiceEntrySpec,
  SidecarEgress,
  SidecarSpec,
  Subset,
  TcpRoute,
  TlsRoute,
  TrafficPolicy,
  VirtualServiceSpec,
} from './networking/index.ts';
export { legacyMirrorPercent, mirrorPercentOf } from './networking/index.ts';
export type { ProxyConfigSpec } from './networking/proxy-config.ts';
export type {
  AuthorizationPolicySpec,
  AuthzAction,
  AuthzCondition,
  AuthzOperation,
  AuthzRule,
  AuthzSource,
  JwtRule,
  MtlsMode,
  PeerAuthenticationSpec,
  PolicyTargetReference,
  RequestAuthenticationSpec,
} from './security/index.ts';
export type { AccessLogging, TelemetrySpec } from './telemetry/telemetry.ts';

/** Every Istio kind's spec schema, from the registry of its API group. */
export const SPEC_SCHEMAS: Record<IstioKind, z.ZodType> = {
  ...NETWORKING_SCHEMAS,
  ...SECURITY_SCHEMAS,
  ProxyConfig: proxyConfigSpec,
  Telemetry: telemetrySpec,
};

export interface SchemaIssue {
  /** path relative to the spec */
  path: (string | number)[];
  kind: 'unknown-field' | 'invalid';
  message: string;
  /** for unknown fields: the closest known field name */
  suggestion?: string;
  /** the reader drops this field instead of refusing the object (mesh config fields) */
  dropped?: boolean;
}

const MAX_ROUNDS = 8;

/** Parses a spec, reporting issues and pruning the offending parts. */
export function parseSpec(
  kind: IstioKind,
  raw: unknown,
): { spec: Record<string, unknown>; issues: SchemaIssue[] } {
  return parseWithSchema(SPEC_SCHEMAS[kind], raw);
}

/** Parses a spec with any schema (the install group's kinds are not served by an API server). */
export function parseWithSchema(
  schema: z.ZodType,
  raw: unknown,
): { spec: Record<string, unknown>; issues: SchemaIssue[] } {
  const issues: SchemaIssue[] = [];
  if (raw === undefined || raw === null) return { spec: {}, issues };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ path: [], kind: 'invalid', message: `spec must be a mapping, not ${describe(raw)}` });
    return { spec: {}, issues };
  }
  // valid specs (nearly all) need no zod: the same result, several times faster
  const fast = fastParse(schema, raw);
  if (fast) return { spec: fast, issues };
  let value: unknown = raw;
  let copied = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return { spec: result.data as Record<string, unknown>, issues };
    if (!copied) {
      value = structuredClone(value);
      copied = true;
    }
    const removals: (string | number)[][] = [];
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          if (round === 0) {
            const suggestion = closest(key, known);
            issues.push({
              path: [...path, key],
              kind: 'unknown-field',
              message: `unknown field "${key}"`,
              ...(suggestion ? { suggestion } : {}),
            });
          }
          removals.push([...path, key]);
        }
      } else {
        if (round === 0) issues.push({ path, kind: 'invalid', message: issueMessage(issue, path) });
        if (path.length === 0) return { spec: {}, issues };
        removals.push(path);
      }
    }
    // later array items first, so earlier indices stay valid while splicing
    removals.sort(comparePathsDescending);
    let previous = '';
    for (const path of removals) {
      const key = JSON.stringify(path);
      if (key !== previous) removeAt(value, path);
      previous = key;
    }
  }
  return { spec: {}, issues };
}

function issueMessage(issue: z.core.$ZodIssue, path: (string | number)[]): string {
  const field = path.length ? String(path[path.length - 1]) : 'spec';
  switch (issue.code) {
    case 'invalid_type':
      return `${field} must be ${article(issue.expected)}`;
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      // a misspelt enum value (`STRICTT`, `strict`) gets the closest one
      const input = (issue as { input?: unknown }).input;
      const names = issue.values.filter((v): v is string => typeof v === 'string');
      const near = typeof input === 'string' ? closest(input, names) : undefined;
      const hint = near && near !== input ? ` (did you mean "${near}"?)` : '';
      return `${field} must be one of ${options}, not ${JSON.stringify(input)}${hint}`;
    }
    case 'too_small':
      return `${field} must be at least ${String(issue.minimum)}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'an integer',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    record: 'a mapping',
  };
  return names[expected] ?? expected;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

function removeAt(root: unknown, path: (string | number)[]): void {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[path[i] as string | number];
  }
  const last = path[path.length - 1];
  if (cur === null || typeof cur !== 'object' || last === undefined) return;
  if (Array.isArray(cur) && typeof last === 'number') {
    cur.splice(last, 1);
    return;
  }
  delete (cur as Record<string, unknown>)[String(last)];
}

function comparePathsDescending(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y).localeCompare(String(x));
  }
  return b.length - a.length;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  element?: { _zod: { def: ZodDefLike } };
  innerType?: { _zod: { def: ZodDefLike } };
  valueType?: { _zod: { def: ZodDefLike } };
}

/** The field names the schema allows at a path (for "did you mean"). */
export function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let def = (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  const unwrap = () => {
    while ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      def = def.innerType._zod.def;
    }
  };
  unwrap();
  for (const seg of path) {
    if (def.type === 'object' && def.shape && typeof seg === 'string' && def.shape[seg])
      def = def.shape[seg]._zod.def;
    else if (def.type === 'array' && def.element) def = def.element._zod.def;
    else if (def.type === 'record' && def.valueType) def = def.valueType._zod.def;
    else return [];
    unwrap();
  }
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The closest candidate by edit distance, if close enough to be a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i < rows; i++) {
    const row = d[i] as number[];
    const prev = d[i - 1] as number[];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, ((d[i - 2] as number[])[j - 2] ?? 0) + 1);
      }
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] ?? 0;
}
