// `install helm check` and `install helm plan`: Istio's Helm charts, offline. A values
// file (and --set) checked against one chart, with what the release would run; a
// script of helm commands checked for an order that cannot work (ICA1104).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { dump } from 'js-yaml';
import { CATALOG } from '../core/analysis/catalog/index.ts';
import { CHART_NAMES, type ChartName } from '../core/config/install/helm/charts.ts';
import { checkPlan, parsePlan } from '../core/config/install/helm/plan.ts';
import {
  applyHelmSet,
  checkValues,
  summarizeRelease,
  type ValuesIssue,
} from '../core/config/install/helm/values.ts';
import { loadPaths } from '../core/config/load.ts';
import { LineIndex, offsetOfPath, parseYamlStream } from '../core/config/yaml.ts';
import { EXIT, palette, UserError, write } from './output.ts';

type Format = 'text' | 'json';

/** A text file, or one line saying why not (missing, a folder, binary: its bytes are never echoed). */
async function readText(file: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : `cannot read it (${code ?? 'error'})`;
    throw new UserError(`${file}: ${why}`);
  }
  if (text.includes('\0')) throw new UserError(`${file}: this file is binary, not ${what}`);
  return text;
}

interface Located extends ValuesIssue {
  where: string;
}

/** Values files (overlaid in order, as helm -f) and --set overrides, each issue located. */
async function loadValues(files: readonly string[], sets: readonly string[], chart: ChartName) {
  let values: Record<string, unknown> = {};
  const issues: Located[] = [];
  const { deepMerge } = await import('../core/config/install/resolve.ts');
  for (const file of files) {
    const text = await readText(file, 'a values file');
    const docs = parseYamlStream(text);
    const doc = docs[0];
    if (doc?.error) {
      const at = new LineIndex(text).position(doc.error.offset);
      throw new UserError(`${file}:${at.line}: not valid YAML: ${doc.error.message}`);
    }
    const v = doc?.value ?? {};
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new UserError(
        `${file}: a values file is a map of keys (global:, pilot:, ...), not ${Array.isArray(v) ? 'a list' : typeof v}`,
      );
    const kind = (v as Record<string, unknown>).kind;
    if (typeof kind === 'string' && 'apiVersion' in v)
      // a Kubernetes object (an IstioOperator most often) passed as values: helm would
      // ignore every key and install the chart's defaults
      throw new UserError(
        `${file}: this is ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}, not a Helm values file${
          kind === 'IstioOperator'
            ? ' (an IstioOperator is for istioctl install -f; check it with `install manifest generate -f`, and its spec.values are the Helm values)'
            : ''
        }`,
      );
    const lines = new LineIndex(text);
    for (const issue of checkValues(chart, v)) {
      const at = doc ? lines.position(offsetOfPath(doc, issue.path)) : { line: 1 };
      issues.push({ ...issue, where: `${file}:${at.line}` });
    }
    values = deepMerge(values, v) as Record<string, unknown>;
  }
  for (const s of sets) {
    let set: Record<string, unknown>;
    try {
      set = applyHelmSet({}, s);
    } catch (e) {
      throw new UserError((e as Error).message);
    }
    for (const issue of checkValues(chart, set)) issues.push({ ...issue, where: `--set ${s}` });
    values = deepMerge(values, set) as Record<string, unknown>;
  }
  return { values, issues };
}

export async function runHelmCheck(
  positional: string[],
  flags: {
    chart: string;
    values?: string[];
    set?: string[];
    namespace?: string;
    release?: string;
    output: Format | 'yaml';
  },
): Promise<number> {
  const files = [...positional, ...(flags.values ?? [])];
  if (!(CHART_NAMES as readonly string[]).includes(flags.chart))
    throw new UserError(`--chart ${flags.chart}: one of ${CHART_NAMES.join(', ')}`);
  const chart = flags.chart as ChartName;
  const { values, issues } = await loadValues(files, flags.set ?? [], chart);
  const namespace = flags.namespace ?? (chart === 'gateway' ? 'default' : 'istio-system');
  const release =
    flags.release ?? (chart === 'base' ? 'istio-base' : chart === 'gateway' ? 'istio-ingress' : chart);
  const summary = summarizeRelease(chart, release, namespace, values);
  const errors = issues.filter((i) => i.level === 'error');
  if (flags.output === 'json') {
    await write(`${JSON.stringify({ issues, ...summary, values }, null, 2)}\n`);
    return errors.length ? EXIT.fail : EXIT.ok;
  }
  const c = palette();
  const out: string[] = [];
  for (const i of issues)
    out.push(
      `${i.where}: ${i.level === 'error' ? c.red('error') : c.yellow('warning')}: ${i.path.join('.')} ${i.message}`,
    );
  if (issues.length) out.push('');
  out.push(c.bold(`helm install ${release} istio/${chart} -n ${namespace} would run:`));
  for (const line of summary.components) out.push(`  ✔ ${line}`);
  if (summary.meshConfig) {
    out.push(c.bold('Mesh config istiod would serve (beside its defaults):'));
    const text = Object.keys(summary.meshConfig).length
      ? dump(summary.meshConfig).trimEnd()
      : '{}  (Istio defaults only)';
    out.push(...text.split('\n').map((l) => `  ${l}`));
  }
  out.push(
    '',
    errors.length
      ? c.red(
          `${errors.length} error(s): helm would refuse these values or install something else than meant.`,
        )
      : issues.length
        ? c.yellow(`${issues.length} warning(s): helm installs, but these settings have no effect.`)
        : c.green('The values are ones the chart reads.'),
  );
  await write(`${out.join('\n')}\n`);
  return errors.length ? EXIT.fail : EXIT.ok;
}

export async function runHelmPlan(
  script: string,
  yaml: string[],
  flags: { gatewayNamespace?: string; output: Format | 'yaml' },
): Promise<number> {
  const plan = parsePlan(await readText(script, 'a shell script'));
  if (plan.steps.length === 0 && plan.unreadable.length === 0)
    throw new UserError(`${script}: no helm install or helm upgrade --install line: nothing to check`);
  const load = yaml.length ? await loadPaths(yaml) : undefined;
  const existing = (load?.resources ?? []).filter((r) => r.kind === 'Namespace').map((r) => r.name);
  const problems = checkPlan(plan, {
    existingNamespaces: existing,
    ...(flags.gatewayNamespace ? { gatewayNamespace: flags.gatewayNamespace } : {}),
  });
  const valueIssues = plan.steps.flatMap((s) =>
    s.valueIssues.map((i) => ({ line: s.line, release: s.release, ...i })),
  );
  // -f values files, relative to the script's folder as helm run from there would read them
  for (const s of plan.steps) {
    for (const f of s.valuesFiles) {
      const path = isAbsolute(f) ? f : join(dirname(script), f);
      try {
        const { issues } = await loadValues([path], [], s.chart);
        for (const i of issues)
          valueIssues.push({ line: s.line, release: s.release, ...i, message: `${i.message} (${i.where})` });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        valueIssues.push({
          line: s.line,
          release: s.release,
          path: [],
          level: 'error',
          message: `-f ${e.message}: helm install fails`,
        });
      }
    }
  }
  const failed =
    problems.length > 0 || plan.unreadable.length > 0 || valueIssues.some((i) => i.level === 'error');
  if (flags.output === 'json') {
    await write(
      `${JSON.stringify({ steps: plan.steps, unreadable: plan.unreadable, problems: problems.map((p) => ({ code: 'ICA1104', ...p })), valueIssues }, null, 2)}\n`,
    );
    return failed ? EXIT.fail : EXIT.ok;
  }
  const c = palette();
  const out: string[] = [c.bold(`${script}: ${plan.steps.length} release(s), in this order:`)];
  for (const s of plan.steps)
    out.push(`  ${String(s.line).padStart(3)}  ${s.release} (istio/${s.chart}) -> ${s.namespace}`);
  for (const u of plan.unreadable) out.push(`${script}:${u.line}: ${c.red('error')}: ${u.message}`);
  for (const i of valueIssues)
    out.push(
      `${script}:${i.line}: ${i.level === 'error' ? c.red('error') : c.yellow('warning')}: ${i.release}: ${[i.path.join('.'), i.message].filter(Boolean).join(' ')}`,
    );
  const entry = CATALOG.ICA1104;
  for (const p of problems) {
    out.push(
      `${script}:${p.line}: ${c.red('Error')} [ICA1104] ${entry.message({ line: p.line, problem: p.message, fix: p.fix })}`,
    );
    out.push(`    fix: ${p.fix}`);
  }
  out.push(
    '',
    failed
      ? c.red('This plan cannot install as written.')
      : c.green('Every release can install when its turn comes.'),
  );
  await write(`${out.join('\n')}\n`);
  return failed ? EXIT.fail : EXIT.ok;
}
