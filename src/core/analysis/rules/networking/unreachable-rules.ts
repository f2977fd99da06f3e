// Rules and matches that never see traffic because an earlier rule takes it
// (istioctl's analyzeUnreachableHTTPRules/TCPRules/TLSRules in the VirtualService
// validation): http, tcp and tls routes alike.
import type { FieldPath } from '../../../config/resource.ts';
import type { HttpMatch } from '../../../config/schemas/index.ts';
import type { VirtualService } from '../../../config/snapshot.ts';
import type { Rule, RuleContext } from '../../rule.ts';

type StringMatch = { exact?: string | undefined; prefix?: string | undefined; regex?: string | undefined };

/** Canonical text of a match without its name (names do not change what matches). */
function matchKey(m: unknown): string {
  if (m && typeof m === 'object' && 'name' in m) {
    const { name: _name, ...rest } = m as Record<string, unknown>;
    return stableStringify(rest);
  }
  return stableStringify(m ?? {});
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** Does condition `a` hold for every request that satisfies `b`? (no condition: always) */
function stringCovers(a: StringMatch | undefined, b: StringMatch | undefined): boolean {
  if (!a) return true;
  if (!b) return false;
  if (a.exact !== undefined) return b.exact === a.exact;
  if (a.prefix !== undefined) {
    const v = b.exact ?? b.prefix;
    return v?.startsWith(a.prefix) === true;
  }
  if (a.regex !== undefined) return b.regex === a.regex;
  return true; // presence only
}

function mapCovers(a: Record<string, StringMatch> | undefined, b: Record<string, StringMatch> | undefined) {
  for (const [k, m] of Object.entries(a ?? {})) if (!stringCovers(m, b?.[k])) return false;
  return true;
}

/**
 * Does the earlier prefix match `a` take every request of the later prefix match `b`?
 * Like istioctl, only matches on a URI prefix are compared, and equal prefixes are
 * left to the duplicate check; unlike istioctl, a condition `a` leaves out (a method,
 * a header) counts as any value, not as GET.
 */
function prefixCovers(a: HttpMatch, b: HttpMatch): boolean {
  const pa = a.uri?.prefix;
  const pb = b.uri?.prefix;
  if (pa === undefined || pb === undefined || pa === pb || !pb.startsWith(pa)) return false;
  if (a.port !== undefined && a.port !== b.port) return false;
  if (!stringCovers(a.method, b.method) || !stringCovers(a.authority, b.authority)) return false;
  if (!stringCovers(a.scheme, b.scheme)) return false;
  if (!mapCovers(a.headers, b.headers) || !mapCovers(a.queryParams, b.queryParams)) return false;
  const same = (k: 'withoutHeaders' | 'sourceLabels' | 'gateways' | 'sourceNamespace' | 'ignoreUriCase') =>
    stableStringify(a[k] ?? null) === stableStringify(b[k] ?? null);
  return (
    same('withoutHeaders') &&
    same('sourceLabels') &&
    same('gateways') &&
    same('sourceNamespace') &&
    same('ignoreUriCase')
  );
}

type Protocol = 'http' | 'tcp' | 'tls';

function analyze(ctx: RuleContext, vs: VirtualService, protocol: Protocol): void {
  const rules = (vs.spec[protocol] ?? []) as ({ name?: string; match?: unknown[] } | undefined)[];
  const label = (i: number) => {
    const name = rules[i]?.name;
    return name ? `"${name}"` : `${protocol}[${i}]`;
  };
  const at = (...p: (string | number)[]): FieldPath => ['spec', protocol, ...p];
  const seen = new Map<string, number>();
  const prefixes: { match: HttpMatch; rule: number; index: number }[] = [];
  let catchAll: number | undefined;
  rules.forEach((rule, i) => {
    if (!rule) return;
    if (catchAll !== undefined) {
      ctx.report(
        'IST0130',
        { rule: label(i), reason: `${label(catchAll)} has no match and takes every request` },
        vs,
        at(i),
      );
      return;
    }
    const matches = rule.match ?? [];
    if (matches.length === 0) {
      catchAll = i;
      return;
    }
    let repeated = 0;
    matches.forEach((m, j) => {
      const key = matchKey(m);
      // an empty HTTP match entry ({}) matches every request
      if (protocol === 'http' && key === '{}') catchAll ??= i;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        repeated++;
        ctx.report(
          'IST0131',
          { rule: label(i), match: `match[${j}]`, other: label(earlier) },
          vs,
          at(i, 'match', j),
        );
        return;
      }
      seen.set(key, i);
      if (protocol === 'http') prefixes.push({ match: m as HttpMatch, rule: i, index: j });
    });
    if (repeated === matches.length)
      ctx.report('IST0130', { rule: label(i), reason: 'all its matches repeat earlier rules' }, vs, at(i));
  });
  for (let x = 0; x < prefixes.length; x++) {
    for (let y = x + 1; y < prefixes.length; y++) {
      const a = prefixes[x]!;
      const b = prefixes[y]!;
      if (!prefixCovers(a.match, b.match)) continue;
      ctx.report(
        'IST0131',
        { rule: label(b.rule), match: `match[${b.index}]`, other: `${label(a.rule)} match[${a.index}]` },
        vs,
        at(b.rule, 'match', b.index),
      );
    }
  }
}

/** Rules that never match because an earlier rule takes their traffic (istioctl's conflictingmatch analysis). */
export const unreachableRules: Rule = {
  name: 'virtualservice.unreachable-rules',
  description:
    'http, tcp and tls rules after a rule without match, or whose matches all repeat earlier matches, are unreachable (IST0130); a match that an earlier one repeats or contains is ineffective (IST0131).',
  reads: ['VirtualService'],
  codes: ['IST0130', 'IST0131'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      analyze(ctx, vs, 'http');
      analyze(ctx, vs, 'tcp');
      analyze(ctx, vs, 'tls');
    }
  },
};
