// StringMatch (exact | prefix | regex), RE2 regexes and header names in
// VirtualService matches (VSV validateHTTPRouteMatchRequest, VAL validateStringMatch).
import { RE2JS } from 're2js';
import type { FieldPath } from '../../../../config/resource.ts';
import type { StringMatch } from '../../../../config/schemas/index.ts';
import type { Report } from '../../shared/report.ts';

export const MAX_REGEX_LENGTH = 1024;

export interface StringMatchOptions {
  /** uri accepts an empty prefix (it matches every path) */
  allowEmptyPrefix?: boolean;
  /** headers, queryParams, withoutHeaders: an empty match tests presence */
  allowEmptyObject?: boolean;
  /** withoutHeaders: regex "*" means "the header is present" and is no regex */
  starMeansPresent?: boolean;
}

/** Why `re` does not compile as RE2 (Go regexp), or undefined when it does. */
export function regexProblem(re: string): { error: string; hint: string } | undefined {
  try {
    RE2JS.compile(re);
    return undefined;
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, '');
    let hint = '';
    if (/\(\?<?[=!]/.test(re)) hint = 'lookahead and lookbehind are not supported';
    else if (/\\[1-9]|\\k</.test(re)) hint = 'backreferences are not supported';
    else if (/[*+?}][+]/.test(re)) hint = 'possessive quantifiers are not supported';
    return { error, hint };
  }
}

/** Checks a regex: at most 1024 bytes and valid RE2. */
export function checkRegex(report: Report, path: FieldPath, field: string, regex: string): void {
  const length = Buffer.byteLength(regex, 'utf8');
  if (length > MAX_REGEX_LENGTH) {
    report(path, 'match.regex-too-long', { field, length });
    return;
  }
  const problem = regexProblem(regex);
  if (problem) report(path, 'match.regex-invalid', { field, regex, ...problem });
}

/** Checks one StringMatch at `path` (e.g. ['spec','http',0,'match',0,'uri']). */
export function checkStringMatch(
  report: Report,
  path: FieldPath,
  field: string,
  m: StringMatch,
  options: StringMatchOptions = {},
): void {
  const keys = (['exact', 'prefix', 'regex'] as const).filter((k) => m[k] !== undefined);
  if (keys.length > 1) {
    report(path, 'match.multiple', { field, keys: keys.join(' and ') });
    return;
  }
  if (keys.length === 0) {
    if (!options.allowEmptyObject) report(path, 'match.empty-object', { field });
    return;
  }
  if (m.prefix === '' && !options.allowEmptyPrefix) {
    report([...path, 'prefix'], 'match.empty-value', { field, kind: 'prefix' });
  }
  if (m.regex === undefined || (options.starMeansPresent && m.regex === '*')) return;
  if (m.regex === '') report([...path, 'regex'], 'match.empty-value', { field, kind: 'regex' });
  else checkRegex(report, [...path, 'regex'], field, m.regex);
}

const TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;
const PSEUDO_HEADERS = [':method', ':scheme', ':authority', ':path', ':status'];

/** ValidateHTTPHeaderNameOrJwtClaimRoute, plus the API's lowercase rule. */
export function headerNameProblem(name: string): 'invalid' | 'uppercase' | undefined {
  if (name.startsWith('@request.auth.claims.') || name.startsWith('@request.auth.claims[')) return undefined;
  if (PSEUDO_HEADERS.includes(name)) return undefined;
  if (!TOKEN.test(name)) return 'invalid';
  return name !== name.toLowerCase() ? 'uppercase' : undefined;
}

/** Checks a map of header (or query parameter) matches. */
export function checkMatchMap(
  report: Report,
  path: FieldPath,
  field: 'headers' | 'withoutHeaders' | 'queryParams',
  map: Record<string, StringMatch> | undefined,
): void {
  for (const [name, m] of Object.entries(map ?? {})) {
    const at = [...path, field, name];
    const label = `${field}.${name}`;
    if (field !== 'queryParams') {
      const problem = headerNameProblem(name);
      if (problem === 'invalid') report(at, 'match.header-name', { field, name });
      else if (problem === 'uppercase') report(at, 'match.header-uppercase', { field, name });
    }
    checkStringMatch(report, at, label, m, {
      allowEmptyObject: true,
      starMeansPresent: field === 'withoutHeaders',
    });
  }
}
