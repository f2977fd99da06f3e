// Telemetry (VAL ValidateTelemetry) and ProxyConfig (VAL ValidateProxyConfig) as
// the validating webhook checks them: one of selector/targetRef/targetRefs, the
// selector labels, targetRefs to Service/ServiceEntry/Gateway/GatewayClass, provider
// names, tracing sampling and custom tags, metric tag overrides, the access log
// filter (a CEL expression: only its shape is checked here), ProxyConfig concurrency.
import type { FieldPath } from '../../../config/resource.ts';
import type { PolicyTargetReference } from '../../../config/schemas/index.ts';
import type { Telemetry } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';
import { checkPolicyTarget } from '../security/validation/policy-target.ts';
import { type Report, reporter } from '../shared/report.ts';

const ALLOWED_TARGETS = new Set([
  'core/Service',
  'networking.istio.io/ServiceEntry',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
]);

function checkTargetRef(report: Report, at: FieldPath, ref: PolicyTargetReference): void {
  if (!ref.name) report(at, 'telemetry.target-name', {});
  if (ref.namespace) report([...at, 'namespace'], 'telemetry.target-namespace', {});
  const group = ref.group ?? '';
  if (!ALLOWED_TARGETS.has(`${group || 'core'}/${ref.kind ?? ''}`))
    report(at, 'telemetry.target-kind', { group, kind: ref.kind ?? '' });
}

function checkProviders(
  report: Report,
  at: FieldPath,
  providers: { name?: string | undefined }[] | undefined,
): void {
  const i = (providers ?? []).findIndex((p) => !p.name);
  if (i >= 0)
    report([...at, 'providers', i], 'telemetry.provider-name', { field: [...at.slice(1)].join('.') });
}

/** Why a CEL expression cannot parse, for the mistakes a hand-written one makes (empty, unbalanced). */
export function celShapeProblem(expr: string): string | undefined {
  if (expr.trim() === '') return 'the expression is empty';
  const closing: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i] ?? '';
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ('([{'.includes(ch)) stack.push(ch);
    else if (closing[ch]) {
      if (stack.pop() !== closing[ch]) return `unexpected "${ch}" at column ${i + 1}`;
    }
  }
  if (quote) return 'a string is not closed';
  if (stack.length) return `"${stack[stack.length - 1]}" is not closed`;
  if (/(==|!=|>=|<=|&&|\|\||[<>+\-*/])\s*$/.test(expr)) return 'the expression ends with an operator';
  return undefined;
}

function checkTelemetry(report: Report, t: Telemetry): void {
  const s = t.spec;
  checkPolicyTarget(report, s);
  if (s.targetRef) checkTargetRef(report, ['spec', 'targetRef'], s.targetRef);
  (s.targetRefs ?? []).forEach((r, i) => {
    checkTargetRef(report, ['spec', 'targetRefs', i], r);
  });

  (s.accessLogging ?? []).forEach((l, i) => {
    const at: FieldPath = ['spec', 'accessLogging', i];
    const expr = l.filter?.expression;
    if (l.filter) {
      const reason = celShapeProblem(expr ?? '');
      if (reason)
        report([...at, 'filter', 'expression'], 'telemetry.filter', { expression: expr ?? '', reason });
    }
    checkProviders(report, at, l.providers);
  });

  const tracing = s.tracing ?? [];
  if (tracing.length > 1) report(['spec', 'tracing'], 'telemetry.tracing-multiple', {});
  tracing.forEach((tr, i) => {
    const at: FieldPath = ['spec', 'tracing', i];
    if ((tr.providers?.length ?? 0) > 1) report([...at, 'providers'], 'telemetry.tracing-providers', {});
    checkProviders(report, at, tr.providers);
    const pct = tr.randomSamplingPercentage;
    if (pct !== undefined && (pct < 0 || pct > 100))
      report([...at, 'randomSamplingPercentage'], 'telemetry.sampling', { value: pct });
    for (const [name, tag] of Object.entries(tr.customTags ?? {})) {
      const tat: FieldPath = [...at, 'customTags', name];
      if (name === '') report(tat, 'telemetry.custom-tag', { reason: 'tag name may not be empty' });
      if (tag.literal && !tag.literal.value)
        report(tat, 'telemetry.custom-tag', { reason: 'literal tag value may not be empty' });
      else if (tag.header && !tag.header.name)
        report(tat, 'telemetry.custom-tag', { reason: 'header tag name may not be empty' });
      else if (tag.environment && !tag.environment.name)
        report(tat, 'telemetry.custom-tag', { reason: 'environment tag name may not be empty' });
    }
  });

  (s.metrics ?? []).forEach((m, i) => {
    const at: FieldPath = ['spec', 'metrics', i];
    checkProviders(report, at, m.providers);
    (m.overrides ?? []).forEach((o, j) => {
      const oat: FieldPath = [...at, 'overrides', j];
      for (const [tag, to] of Object.entries(o.tagOverrides ?? {})) {
        const tat: FieldPath = [...oat, 'tagOverrides', tag];
        if (tag === '') report(tat, 'telemetry.tag-override-name', {});
        const op = to.operation ?? 'UPSERT';
        if (op === 'UPSERT' && !to.value)
          report(tat, 'telemetry.tag-override', {
            tag,
            reason: 'value must be set when operation is UPSERT',
          });
        if (op === 'REMOVE' && to.value)
          report(tat, 'telemetry.tag-override', {
            tag,
            reason: 'value may only be set when operation is UPSERT',
          });
      }
      if (o.match?.customMetric === '')
        report([...oat, 'match', 'customMetric'], 'telemetry.custom-metric', {});
    });
  });
}

export const telemetries: Rule = {
  name: 'validation.telemetry',
  description:
    'Telemetry selector or targetRefs, provider names, tracing sampling and tags, metric tag overrides and the access log filter, as the webhook checks them.',
  reads: ['Telemetry'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const t of ctx.snapshot.telemetries) checkTelemetry(reporter(ctx, t), t);
  },
};

export const proxyConfigs: Rule = {
  name: 'validation.proxy-config',
  description: 'ProxyConfig selector and concurrency (0 or more) as the webhook checks them.',
  reads: ['ProxyConfig'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const pc of ctx.snapshot.proxyConfigs) {
      const report = reporter(ctx, pc);
      checkPolicyTarget(report, pc.spec);
      const n = pc.spec.concurrency;
      if (n !== undefined && n < 0) report(['spec', 'concurrency'], 'proxyconfig.concurrency', { value: n });
    }
  },
};
