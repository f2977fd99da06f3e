// AuthorizationPolicy (VAL ValidateAuthorizationPolicy): CUSTOM and DENY need
// rules, sources and operations are not empty, serviceAccounts stand alone,
// values parse (IPs, ports, service accounts, path templates, when keys), and
// a DENY rule of HTTP attributes only is warned about (it closes TCP ports).
import { isIP } from 'node:net';
import { DRY_RUN_ANNOTATION, dryRunValue, parseGoBool } from '../../../../config/authz-dry-run.ts';
import type { FieldPath } from '../../../../config/resource.ts';
import type { AuthzOperation, AuthzSource } from '../../../../config/schemas/index.ts';
import type { Rule } from '../../../rule.ts';
import { isIpOrCidr } from '../../shared/dns.ts';
import { type Report, reporter } from '../../shared/report.ts';
import { checkPolicyTarget } from './policy-target.ts';
import { whenKeyProblem } from './when-keys.ts';

/** Source fields that a TCP (non-HTTP) port can still judge. */
const TCP_SOURCE: (keyof AuthzSource)[] = [
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'serviceAccounts',
  'notServiceAccounts',
];
const CUSTOM_UNSUPPORTED: (keyof AuthzSource)[] = [
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
];

export const authorizationPolicies: Rule = {
  name: 'validation.authorization-policy',
  description:
    'AuthorizationPolicy action, provider, rules, sources, operations and conditions as the webhook checks them, and the warning for DENY rules of HTTP-only fields.',
  reads: ['AuthorizationPolicy'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const ap of ctx.snapshot.authorizationPolicies) {
      const report = reporter(ctx, ap);
      const s = ap.spec;
      const action = s.action ?? 'ALLOW';
      checkPolicyTarget(report, s);
      const dryRun = dryRunValue(ap);
      if (dryRun !== undefined) {
        const at: FieldPath = ['metadata', 'annotations', DRY_RUN_ANNOTATION];
        if (typeof dryRun !== 'string')
          report(at, 'authz.dry-run-not-string', { value: `${typeof dryRun} ${JSON.stringify(dryRun)}` });
        else if (action !== 'ALLOW' && action !== 'DENY') report(at, 'authz.dry-run-action', { action });
        else if (parseGoBool(dryRun) === undefined) report(at, 'authz.dry-run-value', { value: dryRun });
      }
      const rules = s.rules;
      // protobuf reads `rules: []` as no rules
      const hasRules = rules !== undefined && rules.length > 0;
      if (action === 'CUSTOM') {
        if (!hasRules) report(['spec'], 'authz.custom-no-rules', {});
        else if (!s.provider?.name) report(['spec', 'provider'], 'authz.custom-no-provider', {});
        (rules ?? []).forEach((rule, i) => {
          for (const [j, from] of (rule.from ?? []).entries())
            for (const f of CUSTOM_UNSUPPORTED)
              if ((from.source?.[f]?.length ?? 0) > 0)
                report(['spec', 'rules', i, 'from', j, 'source', f], 'authz.custom-field', {
                  field: `from.${f}`,
                });
          for (const [j, w] of (rule.when ?? []).entries()) {
            const k = w.key ?? '';
            if (
              ['source.namespace', 'source.serviceAccount', 'source.principal'].includes(k) ||
              k.startsWith('request.auth.')
            )
              report(['spec', 'rules', i, 'when', j, 'key'], 'authz.custom-field', {
                field: `when key ${k}`,
              });
          }
        });
      }
      if (s.provider !== undefined && action !== 'CUSTOM')
        report(['spec', 'provider'], 'authz.provider-not-custom', { action });
      if (action === 'DENY' && !hasRules) report(['spec'], 'authz.deny-no-rules', {});
      (rules ?? []).forEach((rule, i) => {
        const at: FieldPath = ['spec', 'rules', i];
        let fromExists = false;
        let toExists = false;
        let tcpFrom = false;
        let tcpTo = false;
        (rule.from ?? []).forEach((from, j) => {
          const src = from.source;
          if (!src) {
            report([...at, 'from', j], 'authz.source-missing', { rule: i });
            return;
          }
          fromExists = true;
          checkSource(report, [...at, 'from', j, 'source'], i, src);
          if (TCP_SOURCE.some((f) => src[f] !== undefined)) tcpFrom = true;
        });
        (rule.to ?? []).forEach((to, j) => {
          const op = to.operation;
          if (!op) {
            report([...at, 'to', j], 'authz.operation-missing', { rule: i });
            return;
          }
          toExists = true;
          checkOperation(report, [...at, 'to', j, 'operation'], i, op);
          if (op.ports !== undefined || op.notPorts !== undefined) tcpTo = true;
        });
        (rule.when ?? []).forEach((w, j) => {
          checkCondition(report, [...at, 'when', j], w.key ?? '', [
            ...(w.values ?? []),
            ...(w.notValues ?? []),
          ]);
        });
        if (action === 'DENY' && ((fromExists && !toExists && !tcpFrom) || (toExists && !tcpTo)))
          report(at, 'authz.deny-http-only', { rule: i });
      });
    }
  },
};

function checkCondition(report: Report, at: FieldPath, key: string, values: string[]): void {
  if (!key) report(at, 'authz.when-key-empty', {});
  else if (values.length === 0) report(at, 'authz.when-no-values', { key });
  else if (values.includes('')) report(at, 'authz.empty-value', { field: `when ${key}` });
  else {
    const reason = whenKeyProblem(key);
    if (reason) report([...at, 'key'], 'authz.when-key', { key, reason });
    else
      for (const v of values) {
        const bad = whenValueProblem(key, v);
        if (bad) report(at, 'authz.when-value', { key, value: v, reason: bad });
      }
  }
}

function checkSource(report: Report, at: FieldPath, rule: number, src: AuthzSource): void {
  const n = (f: keyof AuthzSource) => src[f]?.length ?? 0;
  if (
    n('principals') + n('notPrincipals') + n('namespaces') + n('notNamespaces') > 0 &&
    n('serviceAccounts') + n('notServiceAccounts') > 0
  )
    report(at, 'authz.sa-with-principals', { rule });
  const fields = Object.keys(src) as (keyof AuthzSource)[];
  if (fields.every((f) => n(f) === 0)) report(at, 'authz.source-empty', { rule });
  for (const f of fields) {
    const values = src[f] ?? [];
    if (f === 'serviceAccounts' || f === 'notServiceAccounts') {
      const reason = serviceAccountProblem(values);
      if (reason)
        report([...at, f], 'authz.service-account', { field: f, value: reason.value, reason: reason.text });
      continue;
    }
    if (values.includes('')) {
      report([...at, f], 'authz.empty-value', { field: f });
      continue;
    }
    if (/ipblocks/i.test(f))
      for (const v of values) if (!isIpOrCidr(v)) report([...at, f], 'authz.ip', { field: f, value: v });
  }
}

function checkOperation(report: Report, at: FieldPath, rule: number, op: AuthzOperation): void {
  const fields = Object.keys(op) as (keyof AuthzOperation)[];
  if (fields.every((f) => (op[f]?.length ?? 0) === 0)) report(at, 'authz.operation-empty', { rule });
  for (const f of fields) {
    const values = op[f] ?? [];
    if (values.includes('')) {
      report([...at, f], 'authz.empty-value', { field: f });
      continue;
    }
    if (f === 'ports' || f === 'notPorts')
      for (const v of values) if (!isPort(v)) report([...at, f], 'authz.port', { field: f, value: v });
    if (f === 'paths' || f === 'notPaths')
      for (const v of values) {
        const reason = pathTemplateProblem(v);
        if (reason) report([...at, f], 'authz.path-template', { field: f, value: v, reason });
      }
  }
}

const isPort = (v: string): boolean => /^\d+$/.test(v) && Number(v) <= 65535;

function serviceAccountProblem(values: readonly string[]): { value: string; text: string } | undefined {
  if (values.length > 16)
    return { value: `${values.length} values`, text: 'may not have more than 16 values' };
  for (const v of values) {
    if (v === '') return { value: v, text: 'empty value not allowed' };
    if (v.includes('*')) return { value: v, text: 'wildcard not allowed' };
    const slashes = v.split('/').length - 1;
    if (slashes > 1 || v.startsWith('/') || v.endsWith('/'))
      return { value: v, text: "expected format 'serviceAccount' or 'namespace/serviceAccount'" };
    if (v.length > 320) return { value: v, text: 'value cannot exceed 320 characters' };
  }
  return undefined;
}

const MATCH_ONE = '{*}';
const MATCH_ANY = '{**}';
const LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=*]+$/;

/** Istio's CheckValidPathTemplate: {*} and {**} whole segments, {**} last. */
function pathTemplateProblem(path: string): string | undefined {
  const template = path.includes(MATCH_ONE) || path.includes(MATCH_ANY);
  let anySeen = false;
  for (const glob of path.replace(/^\/+|\/+$/g, '').split('/')) {
    if ((glob === MATCH_ONE || glob === MATCH_ANY) && anySeen) return '{**} is not the last operator';
    if (glob === MATCH_ONE) continue;
    if (glob === MATCH_ANY) {
      anySeen = true;
      continue;
    }
    if (/[{}]/.test(glob)) return "contains '{' or '}' beyond a supported path template";
    if (template && glob !== '' && !LITERAL.test(glob))
      return `segment ${JSON.stringify(glob)} is not a valid literal`;
  }
  return undefined;
}

function whenValueProblem(key: string, value: string): string | undefined {
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip')
    return isIpOrCidr(value) || isIP(value) ? undefined : 'not an IP address or CIDR block';
  if (key === 'destination.port') return isPort(value) ? undefined : 'not a port number';
  return undefined;
}
