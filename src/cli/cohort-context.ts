// What every cohort command shares around its core call: its io, the cluster flags as
// core options, --cohort resolution, and core failures as one-line UserErrors (exit 2).
// The set-up commands (cohort-actions.ts) and grade/report (cohort-grade-actions.ts) use it.
import { relative } from 'node:path';
import { ClusterError } from '../core/cluster/errors.ts';
import { ApiStatusError } from '../core/cluster/http.ts';
import { RosterError } from '../core/cohort/roster.ts';
import { CohortError } from '../core/cohort/setup.ts';
import { type CohortRecord, CohortStoreError, listCohorts, readCohort } from '../core/cohort/store.ts';
import { parseDurationMs } from '../core/config/duration.ts';
import { stateHome } from '../core/progress/store.ts';
import { shellQuote } from '../core/text-safety.ts';
import { UserError } from './output.ts';

export interface CohortIo {
  write?: (text: string) => Promise<void>;
  /** KUBECONFIG, HOME and ICA_TRAINER_HOME come from here (default: process.env) */
  env?: NodeJS.ProcessEnv;
  color?: boolean;
  /** answers the confirmation of `remove` (default: a prompt on a terminal) */
  confirm?: (question: string) => Promise<boolean>;
}

export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  requestTimeout?: string;
}

export function clusterOptions(flags: ClusterFlags, io: CohortIo) {
  let timeoutMs: number | undefined;
  if (flags.requestTimeout) {
    const t = flags.requestTimeout;
    timeoutMs = /^\d+$/.test(t) ? Number(t) * 1000 : parseDurationMs(t);
    if (timeoutMs === undefined || !(timeoutMs > 0)) {
      throw new UserError(`--request-timeout "${t}" is not a positive duration (for example 10s or 500ms)`);
    }
  }
  return {
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(io.env ? { env: io.env } : {}),
  };
}

/** Core failures as UserErrors; anything else is a bug and goes up. */
export async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (e instanceof ClusterError || e instanceof RosterError || e instanceof CohortError) {
      throw new UserError(e.message);
    }
    if (e instanceof CohortStoreError) throw new UserError(e.message);
    if (e instanceof ApiStatusError) {
      const what = e.status === 403 ? 'forbidden' : `refused (${e.status})`;
      throw new UserError(`the API server ${what}: ${e.method} ${e.path}: ${e.message}`);
    }
    throw e;
  }
}

export function homeOf(io: CohortIo): string {
  return stateHome(io.env ?? process.env);
}

/** --cohort, else the only cohort recorded. */
async function pickCohort(name: string | undefined, home: string): Promise<CohortRecord> {
  const known = await listCohorts({ home });
  if (name) {
    const record = await readCohort(name, { home });
    if (!record) {
      throw new UserError(
        `no cohort "${name}" in ${home}${known.length ? ` (known: ${known.join(', ')})` : ''}; create it with \`ica-trainer cohort init ROSTER --name ${shellQuote(name)}\``,
      );
    }
    return record;
  }
  if (known.length === 0) {
    throw new UserError(`no cohort yet in ${home}: create one with \`ica-trainer cohort init ROSTER\``);
  }
  if (known.length > 1)
    throw new UserError(`several cohorts (${known.join(', ')}): choose one with --cohort NAME`);
  const record = await readCohort(known[0] as string, { home });
  if (!record) throw new UserError(`cohort ${known[0]} has no record`);
  return record;
}

/** Runs a command on the cohort of --cohort (else the only one), core failures as UserErrors. */
export function withCohort<T>(
  name: string | undefined,
  io: CohortIo,
  fn: (record: CohortRecord, home: string) => Promise<T>,
): Promise<T> {
  return userErrors(async () => {
    const home = homeOf(io);
    return fn(await pickCohort(name, home), home);
  });
}

export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
