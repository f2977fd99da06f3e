// A Helm install written as the commands a learner would run (install.sh): graded on
// whether each release can install when its turn comes (ICA1104), where the gateway
// goes, and what istiod runs with the values given. Offline only: a cluster shows what
// was installed, not the order it was installed in.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPlan, type InstallPlan, parsePlan } from '../src/core/config/install/helm/plan.ts';
import { summarizeRelease } from '../src/core/config/install/helm/values.ts';
import { defineGrader, fail, type GradeContext, pass } from '../src/core/grading/index.ts';

const SCRIPT = 'install.sh';
const GATEWAY_NAMESPACE = 'istio-ingress';

async function planOf(ctx: GradeContext): Promise<InstallPlan | string> {
  if (!ctx.dir) return `this lab is graded from its files (${SCRIPT}), not from a cluster`;
  let text: string;
  try {
    text = await readFile(join(ctx.dir, SCRIPT), 'utf8');
  } catch {
    return `no ${SCRIPT} in your folder: write the helm commands there, one per line, in the order you would run them`;
  }
  // its bytes are not echoed back as "not a helm command" lines
  if (text.includes('\0'))
    return `${SCRIPT} is binary, not a shell script: write the helm commands there as text`;
  return parsePlan(text);
}

/** The script's full path, as the other labs name the files of their findings. */
const script = (ctx: GradeContext) => (ctx.dir ? join(ctx.dir, SCRIPT) : SCRIPT);

/** Namespaces that exist before the script runs: the Namespace objects of the learner's YAML. */
const existing = (ctx: GradeContext) =>
  ctx.snapshot
    .list('Namespace')
    .filter((n) => !n.origin.builtin)
    .map((n) => n.name);

export default defineGrader({
  order: async (ctx) => {
    const plan = await planOf(ctx);
    if (typeof plan === 'string') return fail(plan);
    if (plan.unreadable.length)
      return fail(plan.unreadable.map((u) => `${script(ctx)}:${u.line}: ${u.message}`).join('; '));
    const missing = (['base', 'istiod', 'gateway'] as const).filter(
      (c) => !plan.steps.some((s) => s.chart === c),
    );
    if (missing.length)
      return fail(
        `${script(ctx)} installs no ${missing.map((c) => `istio/${c}`).join(', ')}: all three are needed, in that order: base, istiod, gateway`,
      );
    const problems = checkPlan(plan, { existingNamespaces: existing(ctx) });
    if (problems.length)
      return fail(problems.map((p) => `${script(ctx)}:${p.line}: ${p.message}; ${p.fix}`).join('; '), [
        'ICA1104',
      ]);
    return pass(
      'base, istiod and the gateway install in that order, each into a namespace that exists by then',
    );
  },
  'gateway-namespace': async (ctx) => {
    const plan = await planOf(ctx);
    if (typeof plan === 'string') return fail(plan);
    const gateways = plan.steps.filter((s) => s.chart === 'gateway');
    if (gateways.length === 0) return fail(`${script(ctx)} installs no gateway (istio/gateway)`);
    const wrong = gateways.filter((g) => g.namespace !== GATEWAY_NAMESPACE);
    if (wrong.length)
      return fail(
        wrong
          .map(
            (g) =>
              `${script(ctx)}:${g.line}: the gateway ${g.release} goes into ${g.namespace}, not its own namespace ${GATEWAY_NAMESPACE}`,
          )
          .join('; '),
        ['ICA1104'],
      );
    const control = plan.steps.filter(
      (s) => (s.chart === 'base' || s.chart === 'istiod') && s.namespace !== 'istio-system',
    );
    if (control.length)
      return fail(
        control
          .map((s) => `${script(ctx)}:${s.line}: ${s.release} goes into ${s.namespace}, not istio-system`)
          .join('; '),
      );
    return pass(
      `the gateway is its own release in ${GATEWAY_NAMESPACE}; base and istiod are in istio-system`,
    );
  },
  'istiod-replicas': async (ctx) => {
    const plan = await planOf(ctx);
    if (typeof plan === 'string') return fail(plan);
    const istiod = plan.steps.find((s) => s.chart === 'istiod');
    if (!istiod) return fail(`${script(ctx)} installs no istiod (istio/istiod)`);
    const runs =
      summarizeRelease('istiod', istiod.release, istiod.namespace, istiod.values).components[0] ?? '';
    const ignored = istiod.valueIssues.map((i) => `${i.path.join('.')} ${i.message}`);
    if (/: 2 replica\(s\), no HPA$/.test(runs)) return pass(`${script(ctx)}:${istiod.line}: ${runs}`);
    return fail(`${script(ctx)}:${istiod.line}: ${runs}${ignored.length ? `; ${ignored.join('; ')}` : ''}`);
  },
});
