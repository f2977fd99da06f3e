// Near misses: a routing criterion names the match the task intends (a header value,
// an exact or prefix path, a numeric id under a path), and the requests that tell a
// right answer from the answers that are almost right are derived from it here, once,
// instead of each grader listing a few by hand. Values extended or cut short, a
// boolean-looking value spelled another way (`yes` for `true`), case variants, the
// boundary paths (`/reviews/` itself, a trailing slash, a long id, a neighbouring
// prefix) and, on the other side, inputs that must still match (header names in
// another case, a query string, a long id).
import { DEFAULT_REQUESTS } from './checks.ts';
import { EXACT_REQUESTS, expectCases, type RouteCase } from './checks-routing.ts';
import type { CheckResult, GradeContext } from './types.ts';

/**
 * The match a task asks for, in the terms of its text. `caseMatters`: the task
 * says the value or path in exactly this case, so case variants are near misses
 * (without it they are not probed: either answer is right).
 */
export type IntendedMatch =
  /** header `name` equal to `exact` (header values are case-sensitive in Istio) */
  | { header: string; exact: string; caseMatters?: boolean }
  /** header `name` starting with `prefix` */
  | { header: string; prefix: string; caseMatters?: boolean }
  /** the path is exactly `exact` (a query string is not part of the path) */
  | { uri: 'exact'; path: string; caseMatters?: boolean }
  /** the path starts with `path` (a prefix match, as Istio's `prefix:`) */
  | { uri: 'prefix'; path: string; caseMatters?: boolean }
  /** the path is `under` followed by one numeric id segment (`/reviews/<digits>`) */
  | { uri: 'numeric-id'; under: string };

/** One request input and why it is there. */
export interface MatchInput {
  path?: string;
  headers?: Record<string, string>;
  /** the near miss or the variant this input stands for, shown when it is routed wrongly */
  why: string;
}

export interface MatchInputs {
  /** inputs the intended match takes */
  matching: MatchInput[];
  /** near misses the intended match must not take */
  missing: MatchInput[];
}

/** Values that read like the same yes/no: an exact match on one must not take the others. */
const BOOLEAN_SPELLINGS: Record<string, string[]> = {
  true: ['yes', '1', 'on'],
  false: ['no', '0', 'off'],
  yes: ['true', 'y', '1'],
  no: ['false', 'n', '0'],
  on: ['true', 'yes', '1'],
  off: ['false', 'no', '0'],
  '1': ['true', 'yes'],
  '0': ['false', 'no'],
};

function caseVariants(value: string): string[] {
  const capital = value.charAt(0).toUpperCase() + value.slice(1);
  return [...new Set([capital, value.toUpperCase()])].filter((v) => v !== value);
}

/** Header names are case-insensitive (Envoy lowercases them): `End-User` is `end-user`. */
function headerNameVariant(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

function headerInputs(
  name: string,
  value: string,
  kind: 'exact' | 'prefix',
  caseMatters: boolean,
  base?: string,
): MatchInputs {
  const h = (v: string) => ({ [name]: v });
  const at = base ? { path: base } : {};
  const matching: MatchInput[] = [{ ...at, headers: h(value), why: `${name}: ${value} itself` }];
  const renamed = headerNameVariant(name);
  if (renamed !== name)
    matching.push({
      ...at,
      headers: { [renamed]: value },
      why: `header names are case-insensitive (Envoy lowercases them), so ${renamed}: ${value} is the same header`,
    });
  const missing: MatchInput[] = [
    { ...at, why: `no ${name} header at all` },
    { ...at, headers: h(''), why: `an empty ${name} header` },
    ...(caseMatters ? caseVariants(value) : []).map((v) => ({
      ...at,
      headers: h(v),
      why: `header values are case-sensitive: ${v} is not ${value}`,
    })),
    ...(value.length > 1
      ? [{ ...at, headers: h(value.slice(0, -1)), why: `a value cut short (${value.slice(0, -1)})` }]
      : []),
    { ...at, headers: h(`x${value}`), why: `a value that contains ${value} but does not start with it` },
  ];
  if (kind === 'exact') {
    missing.push(
      {
        ...at,
        headers: h(`${value}-smith`),
        why: `a value that extends ${value}: a prefix match would take it`,
      },
      { ...at, headers: h(`${value}x`), why: `a value that extends ${value}: a prefix match would take it` },
    );
    for (const v of BOOLEAN_SPELLINGS[value.toLowerCase()] ?? [])
      missing.push({ ...at, headers: h(v), why: `${v} reads like ${value} but the task says ${value} only` });
  } else {
    matching.push({ ...at, headers: h(`${value}-smith`), why: `a value that starts with ${value}` });
  }
  return { matching, missing };
}

function uriExactInputs(path: string, caseMatters: boolean): MatchInputs {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const upper = path.replace(/[a-z]/, (c) => c.toUpperCase());
  const matching: MatchInput[] = [
    { path, why: `${path} itself` },
    { path: `${path}?lang=en`, why: 'a query string is not part of the path' },
  ];
  const missing: MatchInput[] = [
    { path: `${path}0`, why: `a path that extends ${path}: a prefix match would take it` },
    { path: `${trimmed}/history`, why: `a deeper path below ${trimmed}` },
    {
      path: path.endsWith('/') ? trimmed : `${path}/`,
      why: 'the same path with or without a trailing slash',
    },
    { path: '/health', why: 'an unrelated path' },
  ];
  const last = /(\d+)$/.exec(path);
  if (last)
    missing.push({ path: `${path.slice(0, -last[1]!.length)}${Number(last[1]) + 1}`, why: 'another id' });
  if (caseMatters && upper !== path) missing.push({ path: upper, why: 'paths are case-sensitive' });
  return { matching, missing };
}

function uriPrefixInputs(prefix: string, caseMatters: boolean): MatchInputs {
  const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const bare = dir.slice(0, -1);
  const upper = dir.replace(/[a-z]/, (c) => c.toUpperCase());
  const matching: MatchInput[] = [
    ...(prefix.endsWith('/') ? [{ path: prefix, why: `${prefix} itself` }] : []),
    { path: `${dir}0`, why: 'an id below the prefix' },
    { path: `${dir}12/`, why: 'a path below the prefix with a trailing slash' },
    { path: `${dir}1234567890`, why: 'a long id (more than five digits)' },
    { path: `${dir}0/history`, why: 'a deeper path below the prefix' },
  ];
  const missing: MatchInput[] = [
    { path: `${bare}-archive/0`, why: `a path that starts with ${bare} but is not below ${dir}` },
    { path: `/api${dir}0`, why: `${dir} under a different prefix` },
    { path: '/health', why: 'an unrelated path' },
  ];
  if (prefix.endsWith('/'))
    missing.push({ path: bare, why: `${bare} without the slash is not below ${dir}` });
  if (caseMatters && upper !== dir) missing.push({ path: `${upper}0`, why: 'paths are case-sensitive' });
  return { matching, missing };
}

function numericIdInputs(under: string): MatchInputs {
  const dir = under.endsWith('/') ? under : `${under}/`;
  return {
    matching: [
      { path: `${dir}0`, why: 'a one-digit id' },
      { path: `${dir}7`, why: 'another one-digit id' },
      { path: `${dir}12345`, why: 'a five-digit id' },
      { path: `${dir}1234567890`, why: 'an id longer than five digits' },
    ],
    missing: [
      { path: dir, why: `${dir} itself: no id` },
      { path: `${dir}abc`, why: 'a non-numeric id' },
      { path: `${dir}1a`, why: 'an id that starts with digits but is not numeric' },
      { path: `${dir}a1`, why: 'an id that ends with digits but is not numeric' },
      { path: `${dir}12/`, why: 'an id with a trailing slash' },
      { path: `${dir}12/history`, why: 'a deeper path below an id' },
      { path: `/api${dir}12`, why: `${dir} under a different prefix (the regex must match the whole path)` },
      { path: '/health', why: 'an unrelated path' },
    ],
  };
}

/**
 * The requests that test an intended match: those it must take and its near misses.
 * `basePath` is the path header probes are sent to.
 */
export function matchInputs(match: IntendedMatch, basePath?: string): MatchInputs {
  if ('header' in match) {
    const caseMatters = match.caseMatters === true;
    return 'exact' in match
      ? headerInputs(match.header, match.exact, 'exact', caseMatters, basePath)
      : headerInputs(match.header, match.prefix, 'prefix', caseMatters, basePath);
  }
  if (match.uri === 'exact') return uriExactInputs(match.path, match.caseMatters === true);
  if (match.uri === 'prefix') return uriPrefixInputs(match.path, match.caseMatters === true);
  return numericIdInputs(match.under);
}

export interface MatchProbe {
  /** the service the requests go to */
  to: string;
  /** the path header probes use (URI matches use their own paths) */
  path?: string;
  /** the calling workload, when not the default client */
  from?: string;
}

function cases(
  probe: MatchProbe,
  inputs: readonly MatchInput[],
  expected: Record<string, number>,
): RouteCase[] {
  const exact = Object.values(expected).every((p) => p === 0 || p === 100);
  return inputs.map((input) => ({
    probe: {
      to: probe.to,
      ...((input.path ?? probe.path) ? { path: input.path ?? probe.path } : {}),
      ...(input.headers ? { headers: input.headers } : {}),
      ...(probe.from ? { from: probe.from } : {}),
      requests: exact ? EXACT_REQUESTS : DEFAULT_REQUESTS,
    },
    expected,
    why: input.why,
  }));
}

/** Every request the intended match takes (variants included) splits as `expected`. */
export function expectMatched(
  ctx: GradeContext,
  service: string,
  probe: MatchProbe,
  match: IntendedMatch,
  expected: Record<string, number>,
): CheckResult {
  return expectCases(ctx, service, cases(probe, matchInputs(match, probe.path).matching, expected));
}

/** Every near miss of the intended match (and the request without it) splits as `expected`. */
export function expectNotMatched(
  ctx: GradeContext,
  service: string,
  probe: MatchProbe,
  match: IntendedMatch,
  expected: Record<string, number>,
): CheckResult {
  return expectCases(ctx, service, cases(probe, matchInputs(match, probe.path).missing, expected));
}
