// An install plan: the helm (and kubectl) commands a learner would run, in order, in
// a shell script. The trainer reads each line (comments, blank lines and `\`
// continuations as a shell does), knows which chart each release installs and into
// which namespace, with which --set values, and says which step cannot work when
// its turn comes (ICA1104): istiod before base (no CRDs), a gateway before istiod
// (its pods are injected by istiod), ambient without the cni and ztunnel charts, a
// release into a namespace nothing created, a gateway outside the namespace asked for.
import { CHART_NAMES, type ChartName } from './charts.ts';
import { applyHelmSet, checkValues, type ValuesIssue } from './values.ts';

export interface PlanStep {
  line: number;
  release: string;
  chart: ChartName;
  namespace: string;
  values: Record<string, unknown>;
  /** problems of the values given with --set */
  valueIssues: ValuesIssue[];
  /** values files given with -f/--values, as written (read by the caller, relative to the script) */
  valuesFiles: string[];
  createNamespace: boolean;
}

export interface PlanProblem {
  line: number;
  /** what cannot work, one sentence */
  message: string;
  /** what to do instead */
  fix: string;
}

export interface InstallPlan {
  steps: PlanStep[];
  /** namespaces `kubectl create namespace` makes, with the line */
  created: Map<string, number>;
  /** lines the trainer could not read (usage problems, not order) */
  unreadable: { line: number; message: string }[];
}

/**
 * Splits a shell line into words as sh does, without expansion: quoted and unquoted parts
 * of one word join (revisionTags="{prod,canary}" is revisionTags={prod,canary}); a
 * backslash escapes any character outside quotes, and inside double quotes only $, `, " and
 * a backslash.
 */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\s+)|((?:[^\s"'\\]|\\.)+|["'\\])/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3] !== undefined) {
      if (word !== undefined) out.push(word);
      word = undefined;
      continue;
    }
    const part =
      m[1] !== undefined
        ? m[1].replace(/\\([$`"\\])/g, '$1')
        : m[2] !== undefined
          ? m[2]
          : (m[4] ?? '').replace(/\\(.)/g, '$1');
    word = (word ?? '') + part;
  }
  if (word !== undefined) out.push(word);
  return out;
}

const FLAGS_WITH_VALUE = new Set([
  '-n',
  '--namespace',
  '--set',
  '--set-string',
  '-f',
  '--values',
  '--version',
  '--timeout',
  '--kube-context',
  '--repo',
]);

function chartOf(ref: string): ChartName | undefined {
  const name = ref.split('/').pop() ?? '';
  return (CHART_NAMES as readonly string[]).includes(name) ? (name as ChartName) : undefined;
}

/** Reads the plan's commands. */
export function parsePlan(text: string): InstallPlan {
  const plan: InstallPlan = { steps: [], created: new Map(), unreadable: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = (lines[i] ?? '').replace(/(^|\s)#.*$/, '').trim();
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1)} ${(lines[++i] ?? '').replace(/(^|\s)#.*$/, '').trim()}`;
    if (!line || line.startsWith('set ') || line.startsWith('#!')) continue;
    const w = words(line);
    if (w[0] === 'kubectl') {
      const create = w.indexOf('create');
      const ns = w[create + 1];
      if (create > 0 && (ns === 'namespace' || ns === 'ns') && w[create + 2])
        plan.created.set(w[create + 2] as string, start);
      continue; // other kubectl commands (label, apply, get) do not change the order
    }
    if (w[0] !== 'helm') {
      plan.unreadable.push({
        line: start,
        message: `"${w[0]}" is not a helm or kubectl command: the plan holds the commands you would run, one per line`,
      });
      continue;
    }
    if (
      w[1] === 'repo' ||
      w[1] === 'search' ||
      w[1] === 'show' ||
      w[1] === 'status' ||
      w[1] === 'ls' ||
      w[1] === 'list'
    )
      continue;
    if (w[1] !== 'install' && w[1] !== 'upgrade') {
      plan.unreadable.push({
        line: start,
        message: `helm ${w[1] ?? ''} is not an install: write helm install (or helm upgrade --install)`,
      });
      continue;
    }
    const positional: string[] = [];
    let namespace = 'default';
    let createNamespace = false;
    let values: Record<string, unknown> = {};
    const valuesFiles: string[] = [];
    for (let j = 2; j < w.length; j++) {
      const a = w[j] as string;
      const [flag, inline] =
        a.startsWith('--') && a.includes('=')
          ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
          : [a, undefined];
      if (FLAGS_WITH_VALUE.has(flag)) {
        const v = inline ?? w[++j] ?? '';
        if (flag === '-n' || flag === '--namespace') namespace = v;
        if (flag === '-f' || flag === '--values') valuesFiles.push(...v.split(','));
        if (flag === '--set' || flag === '--set-string') {
          try {
            values = applyHelmSet(values, v, flag === '--set-string');
          } catch (e) {
            plan.unreadable.push({ line: start, message: (e as Error).message });
          }
        }
        continue;
      }
      if (flag === '--create-namespace') createNamespace = true;
      else if (!flag.startsWith('-')) positional.push(a);
    }
    const [release, ref] = positional;
    const chart = ref ? chartOf(ref) : undefined;
    if (!release || !ref || !chart) {
      plan.unreadable.push({
        line: start,
        message: ref
          ? `${ref} is not one of Istio's charts (istio/base, istio/istiod, istio/gateway, istio/cni, istio/ztunnel)`
          : 'helm install needs a release name and a chart: helm install istiod istio/istiod -n istio-system',
      });
      continue;
    }
    plan.steps.push({
      line: start,
      release,
      chart,
      namespace,
      values,
      valueIssues: checkValues(chart, values),
      valuesFiles,
      createNamespace,
    });
  }
  return plan;
}

export interface PlanOptions {
  /** namespaces that exist before the plan runs (the lab's Namespace objects); default and kube-system always do */
  existingNamespaces?: readonly string[];
  /** the namespace the task wants gateways in */
  gatewayNamespace?: string;
}

/** The steps that cannot work when their turn comes. */
export function checkPlan(plan: InstallPlan, options: PlanOptions = {}): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const exists = new Set(['default', 'kube-system', ...(options.existingNamespaces ?? [])]);
  const first = (chart: ChartName) => plan.steps.find((s) => s.chart === chart);
  const base = first('base');
  const istiod = first('istiod');
  for (const s of plan.steps) {
    const createdAt = plan.created.get(s.namespace);
    if (!s.createNamespace && !exists.has(s.namespace) && !(createdAt !== undefined && createdAt < s.line)) {
      problems.push({
        line: s.line,
        message: `${s.release} (${s.chart}) goes into namespace ${s.namespace}, which does not exist yet: helm install fails (namespaces "${s.namespace}" not found)`,
        fix: `create it first (kubectl create namespace ${s.namespace}) or add --create-namespace`,
      });
    }
    // once a namespace exists it stays
    exists.add(s.namespace);
    if (s.chart === 'istiod' && (!base || base.line > s.line)) {
      problems.push({
        line: s.line,
        message: `istiod is installed ${base ? `before base (line ${base.line})` : 'without the base chart'}: Istio's CRDs come with base, so istiod cannot watch VirtualServices, DestinationRules and the rest, and nothing can create them`,
        fix: 'install istio/base first (helm install istio-base istio/base -n istio-system --create-namespace), then istiod',
      });
    }
    if (s.chart === 'gateway' && (!istiod || istiod.line > s.line)) {
      problems.push({
        line: s.line,
        message: `the gateway ${s.release} is installed ${istiod ? `before istiod (line ${istiod.line})` : 'without istiod'}: its pods get their proxy from istiod's injector (inject.istio.io/templates: gateway), so they start with the placeholder image "auto" and fail (ImagePullBackOff) until recreated once istiod runs`,
        fix: 'install istiod first and wait for it (helm install istiod istio/istiod -n istio-system --wait), then the gateway',
      });
    }
    if (s.chart === 'gateway' && options.gatewayNamespace && s.namespace !== options.gatewayNamespace) {
      problems.push({
        line: s.line,
        message: `the gateway ${s.release} goes into ${s.namespace}, not its own namespace ${options.gatewayNamespace}`,
        fix: `install it with -n ${options.gatewayNamespace} (a gateway in its own namespace keeps its Secrets and RBAC apart from istiod's)`,
      });
    }
  }
  // ambient: istiod, cni and ztunnel with profile=ambient, all three
  const ambient = plan.steps.filter((s) => s.values.profile === 'ambient');
  if (ambient.length) {
    const at = ambient[0] as PlanStep;
    for (const chart of ['istiod', 'cni', 'ztunnel'] as const) {
      const step = first(chart);
      if (!step)
        problems.push({
          line: at.line,
          message: `ambient mode (profile=ambient on line ${at.line}) without the ${chart} chart: ${chart === 'cni' ? "nothing redirects the pods' traffic to ztunnel" : chart === 'ztunnel' ? 'there is no node proxy, so ambient pods have no mTLS or policy' : 'there is no control plane'}`,
          fix: `install istio/${chart} with --set profile=ambient (base, istiod, cni, ztunnel, in that order)`,
        });
      else if (
        chart !== 'ztunnel' &&
        step.values.profile !== 'ambient' &&
        !(chart === 'cni' && (step.values.ambient as { enabled?: unknown } | undefined)?.enabled === true)
      )
        problems.push({
          line: step.line,
          message: `${step.release} (${chart}) is installed without profile=ambient while ambient is meant (line ${at.line}): ${chart === 'cni' ? 'the CNI agent does not redirect ambient pods' : 'istiod does not serve ztunnel'}`,
          fix: `add --set profile=ambient to ${step.release}`,
        });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
