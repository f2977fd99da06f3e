// The cohort set-up commands (init, add, remove): options to core calls, results to
// text or JSON. Shared flags, --cohort and error mapping: cohort-context.ts.
import { basename, extname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseRoster, RosterError, validateCohortName, validateIds } from '../core/cohort/roster.ts';
import type { SetupResult } from '../core/cohort/setup.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import {
  type ClusterFlags,
  type CohortIo,
  clusterOptions,
  homeOf,
  shown,
  userErrors,
  withCohort,
} from './cohort-context.ts';
import { EXIT, palette, UserError, write } from './output.ts';

/** a roster is a list of learner ids: a megabyte is thousands of learners */
const ROSTER_MAX_BYTES = 1024 * 1024;

function ttlSeconds(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 600_000) {
    throw new UserError(`--token-ttl "${text}" is not a duration of at least 10m (for example 720h)`);
  }
  return Math.round(ms / 1000);
}

function setupText(r: SetupResult, color: boolean | undefined): string {
  const c = palette(color);
  const lines: string[] = [];
  const width = Math.max(...r.learners.map((l) => l.namespace.length), 9);
  const total = { created: r.shared.created, updated: r.shared.updated, unchanged: r.shared.unchanged };
  for (const l of r.learners) {
    total.created += l.objects.created;
    total.updated += l.objects.updated;
    total.unchanged += l.objects.unchanged;
    const changed = l.objects.created + l.objects.updated;
    const what = changed
      ? c.green(`${l.objects.created} created, ${l.objects.updated} updated`)
      : c.dim('unchanged');
    const kc =
      l.kubeconfigAction === 'written'
        ? `wrote ${shown(l.kubeconfig)}`
        : c.dim(`kept ${shown(l.kubeconfig)}`);
    lines.push(`  ${l.id.padEnd(12)} ${l.namespace.padEnd(width)}  ${what}; ${kc}`);
  }
  const head = `Cohort ${c.bold(r.cohort)} in context ${r.context} (learners connect to ${r.server}):`;
  const changed = total.created + total.updated;
  const summary = changed
    ? `${total.created} objects created, ${total.updated} updated, ${total.unchanged} already right.`
    : `Nothing to change: all ${total.unchanged} objects were already right.`;
  const grader = `Grading access: ${r.graderKubeconfigAction === 'written' ? 'wrote' : 'kept'} ${shown(r.graderKubeconfig)} (read-only).`;
  const extra = r.notInRoster.length
    ? [
        `Not in this roster, kept: ${r.notInRoster.join(', ')} (\`ica-trainer cohort remove ID...\` removes them).`,
      ]
    : [];
  const warned = r.warnings.map((w) => c.yellow(`warning: ${w}`));
  return `${[head, ...lines, '', summary, grader, ...warned, ...extra, 'Hand each learner their <id>.kubeconfig: `KUBECONFIG=<id>.kubeconfig ica-trainer ...`.'].join('\n')}\n`;
}

function setupJson(r: SetupResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

interface InitFlags extends ClusterFlags {
  name?: string;
  dir: string;
  server?: string;
  tokenTtl: string;
  output: 'text' | 'json';
}

export async function runCohortInit(roster: string, flags: InitFlags, io: CohortIo = {}): Promise<number> {
  return userErrors(async () => {
    const name = flags.name ?? basename(roster, extname(roster)).toLowerCase();
    try {
      validateCohortName(name);
    } catch (e) {
      if (e instanceof RosterError && !flags.name) throw new UserError(`${e.message}: pass --name NAME`);
      throw e;
    }
    const { readRegularFile } = await import('../core/config/bounded-read.ts');
    const read = await readRegularFile(roster, ROSTER_MAX_BYTES);
    if (!read.ok) throw new UserError(`cannot read the roster ${roster}: ${read.detail}`);
    const text = read.text;
    const ids = parseRoster(text, name, roster);
    const { setupCohort } = await import('../core/cohort/setup.ts');
    const result = await setupCohort({
      ...clusterOptions(flags, io),
      name,
      ids,
      dir: flags.dir,
      ...(flags.server ? { server: flags.server } : {}),
      tokenTtlSeconds: ttlSeconds(flags.tokenTtl),
      home: homeOf(io),
    });
    await (io.write ?? write)(flags.output === 'json' ? setupJson(result) : setupText(result, io.color));
    return EXIT.ok;
  });
}

interface AddFlags extends ClusterFlags {
  cohort?: string;
  server?: string;
  tokenTtl: string;
  output: 'text' | 'json';
}

export async function runCohortAdd(ids: string[], flags: AddFlags, io: CohortIo = {}): Promise<number> {
  return withCohort(flags.cohort, io, async (record, home) => {
    const valid = validateIds(record.name, ids);
    const { setupCohort } = await import('../core/cohort/setup.ts');
    const result = await setupCohort({
      ...clusterOptions(flags, io),
      name: record.name,
      ids: valid,
      dir: record.kubeconfigDir,
      server: flags.server ?? record.server,
      tokenTtlSeconds: ttlSeconds(flags.tokenTtl),
      home,
    });
    result.notInRoster = [];
    await (io.write ?? write)(flags.output === 'json' ? setupJson(result) : setupText(result, io.color));
    return EXIT.ok;
  });
}

async function promptYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

interface RemoveFlags extends ClusterFlags {
  cohort?: string;
  yes?: boolean;
}

export async function runCohortRemove(ids: string[], flags: RemoveFlags, io: CohortIo = {}): Promise<number> {
  return withCohort(flags.cohort, io, async (record, home) => {
    const valid = validateIds(record.name, ids);
    const out = io.write ?? write;
    const unknown = valid.filter((id) => !record.learners.some((l) => l.id === id));
    if (unknown.length === valid.length) {
      throw new UserError(
        `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in cohort ${record.name} (learners: ${record.learners.map((l) => l.id).join(', ') || 'none'})`,
      );
    }
    const targets = valid.filter((id) => !unknown.includes(id));
    const namespaces = targets.map((id) => `${record.name}-${id}`).join(', ');
    if (!flags.yes) {
      const question = `Remove ${targets.join(', ')} from cohort ${record.name}: delete namespace${targets.length === 1 ? '' : 's'} ${namespaces} and the kubeconfig${targets.length === 1 ? '' : 's'}? (grading results are kept)`;
      let ok: boolean;
      if (io.confirm) ok = await io.confirm(question);
      else if (process.stdin.isTTY) ok = await promptYesNo(question);
      else {
        throw new UserError(
          `removing deletes namespace${targets.length === 1 ? '' : 's'} ${namespaces}; run again with --yes to confirm`,
        );
      }
      if (!ok) {
        await out('Nothing changed.\n');
        return EXIT.ok;
      }
    }
    const { removeLearners } = await import('../core/cohort/setup.ts');
    const { removals } = await removeLearners({ ...clusterOptions(flags, io), record, ids: targets, home });
    const lines = removals.map((r) =>
      r.deleted
        ? `Removed ${r.id}: access revoked, namespace ${r.namespace} deleted.`
        : `Removed ${r.id}: namespace ${r.namespace} was already gone.`,
    );
    if (unknown.length) lines.push(`Not in the cohort (nothing done): ${unknown.join(', ')}.`);
    lines.push('Their grading results are kept in the report.');
    await out(`${lines.join('\n')}\n`);
    return EXIT.ok;
  });
}
