// Host names and addresses as Istio's validation reads them
// (pkg/config/labels, pkg/config/validation/agent): DNS-1123 labels (Istio's
// variant accepts uppercase letters), a wildcard only as the first label,
// IP addresses and CIDR blocks.
import { isIP } from 'node:net';

const LABEL = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const LABEL_RE = new RegExp(`^${LABEL}$`);
const WILDCARD_LABEL_RE = new RegExp(`^(?:\\*|(?:\\*|\\*-)?${LABEL})$`);
const LABEL_TEXT =
  'labels use letters, digits and "-", start and end with a letter or digit, at most 63 characters';

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL_RE.test(s);
}

function isWildcardLabel(s: string): boolean {
  return s.length <= 63 && WILDCARD_LABEL_RE.test(s);
}

function labelProblem(label: string): string {
  if (label.includes('*')) return '"*" is only allowed as the whole first label, as in "*.example.com"';
  if (label === '') return 'it has an empty label (two dots in a row, or a leading dot)';
  if (label.length > 63) return `label "${label.slice(0, 20)}..." is longer than 63 characters`;
  return `label "${label}" is invalid: ${LABEL_TEXT}`;
}

/**
 * True when every label is a DNS-1123 label (the last may be empty: a trailing dot)
 * and the last is not all digits: labelsProblem's answer without splitting or regex,
 * for the common valid host. Anything else goes the slow way, which says why.
 */
function labelsValid(domain: string, from = 0): boolean {
  let start = from;
  let digitsOnly = true;
  for (let i = from; i <= domain.length; i++) {
    const c = i < domain.length ? domain.charCodeAt(i) : 46; // end acts as a final "."
    if (c === 46) {
      const len = i - start;
      if (len === 0) {
        if (i !== domain.length) return false; // empty label, except a trailing dot
      } else if (len > 63 || domain.charCodeAt(start) === 45 || domain.charCodeAt(i - 1) === 45) return false;
      else if (i === domain.length && digitsOnly) return false; // all-digit last label
      start = i + 1;
      digitsOnly = true;
    } else if (c >= 48 && c <= 57) {
      // digit
    } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45) digitsOnly = false;
    else return false;
  }
  return true;
}

function labelsProblem(domain: string): string | undefined {
  if (labelsValid(domain)) return undefined;
  const parts = domain.split('.');
  const tld = parts[parts.length - 1] ?? '';
  if (/^[+-]?\d+$/.test(tld)) return `the last label "${tld}" cannot be all digits`;
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i] ?? '';
    if (i === parts.length - 1 && label === '') return undefined; // trailing dot: "istio.io."
    if (!isDns1123Label(label)) return labelProblem(label);
  }
  return undefined;
}

function lengthProblem(name: string): string | undefined {
  if (name.length > 255) return `it is ${name.length} characters long (at most 255)`;
  if (name.length === 0) return 'it is empty';
  return undefined;
}

/** agent.ValidateWildcardDomain: why `domain` is not a (possibly wildcard) DNS name, or undefined. */
export function wildcardDomainProblem(domain: string): string | undefined {
  const len = lengthProblem(domain);
  if (len) return len;
  const dot = domain.indexOf('.');
  // the common valid names, checked in place: "a.b.c" (a first label like the others) and "*.b.c"
  if (dot > 0 && (domain.charCodeAt(0) === 42 ? dot === 1 && labelsValid(domain, 2) : labelsValid(domain)))
    return undefined;
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardLabel(first)) return labelProblem(first);
  return dot < 0 ? undefined : labelsProblem(domain.slice(dot + 1));
}

/** agent.ValidateFQDN: a DNS name without wildcards. */
export function fqdnProblem(name: string): string | undefined {
  return lengthProblem(name) ?? labelsProblem(name);
}

export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

/** agent.ValidateIPSubnet: an IP, or a CIDR block when it has one "/". */
export function isIpOrCidr(s: string): boolean {
  const parts = s.split('/');
  if (parts.length !== 2) return isIpAddress(s);
  const [addr = '', bits = ''] = parts;
  const family = isIP(addr);
  if (family === 0 || !/^(0|[1-9]\d*)$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** Does `name` end with `wildcard` without its leading `*`? (`endsWith(wildcard.slice(1))`, without the copy) */
function endsWithSuffix(name: string, wildcard: string, nameFrom = 0): boolean {
  const k = wildcard.length - 1;
  const at = name.length - k;
  if (at < nameFrom) return false;
  for (let i = 0; i < k; i++) if (name.charCodeAt(at + i) !== wildcard.charCodeAt(i + 1)) return false;
  return true;
}

/** host.Name.Matches: do two hosts (wildcards allowed) match a common name? */
export function hostsMatch(a: string, b: string): boolean {
  const aw = a.charCodeAt(0) === 42;
  const bw = b.charCodeAt(0) === 42;
  // the shorter wildcard's suffix ends the longer one's (both without their `*`)
  if (aw && bw) return a.length < b.length ? endsWithSuffix(b, a, 1) : endsWithSuffix(a, b, 1);
  if (aw) return endsWithSuffix(b, a);
  if (bw) return endsWithSuffix(a, b);
  return a === b;
}

/** host.Name.SubsetOf: is every name `sub` matches also matched by `of`? */
export function hostSubsetOf(sub: string, of: string): boolean {
  if (of.startsWith('*')) {
    if (sub.startsWith('*')) return sub.slice(1).endsWith(of.slice(1));
    return sub.endsWith(of.slice(1));
  }
  return !sub.startsWith('*') && sub === of;
}

/** protocol.Parse: the protocols Istio knows (case-insensitive); empty is not one. */
const PROTOCOLS = [
  'tcp',
  'udp',
  'grpc',
  'grpc-web',
  'http',
  'http_proxy',
  'http2',
  'https',
  'tls',
  'mongo',
  'redis',
  'mysql',
];

export function isKnownProtocol(p: string): boolean {
  return PROTOCOLS.includes(p.toLowerCase());
}

export function isTlsProtocol(p: string): boolean {
  const l = p.toLowerCase();
  return l === 'https' || l === 'tls';
}

export function isHttpProtocol(p: string): boolean {
  return ['http', 'http2', 'http_proxy', 'grpc', 'grpc-web'].includes(p.toLowerCase());
}
