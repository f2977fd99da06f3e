// A cohort's roster: one learner id a line, `#` starts a comment. Ids become part
// of namespace names, so each must be a DNS label (RFC 1123: lower-case letters,
// digits and '-', starting and ending with a letter or digit). Errors name the line.

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

/** Namespaces a cohort never takes (the cluster's and Istio's own). */
const RESERVED = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system']);

export class RosterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterError';
  }
}

/** Why `value` is not a DNS label, or undefined when it is one. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > DNS_LABEL_MAX) return `it is ${value.length} characters long (at most ${DNS_LABEL_MAX})`;
  if (/[A-Z]/.test(value)) return 'it has upper-case letters (use lower case)';
  if (!/^[-a-z0-9]+$/.test(value)) {
    const bad = [...value].find((c) => !/[-a-z0-9]/.test(c)) ?? '';
    return `it contains ${JSON.stringify(bad)} (only a-z, 0-9 and '-' are allowed)`;
  }
  if (!DNS_LABEL.test(value)) return "it must start and end with a letter or digit, not '-'";
  return undefined;
}

/** Longest cohort name: leaves room for `-<learner id>` in a 63-character namespace. */
export const COHORT_NAME_MAX = 30;

export function validateCohortName(name: string): string {
  const problem = dnsLabelProblem(name);
  if (problem) throw new RosterError(`cohort name "${name}" is not a DNS label: ${problem}`);
  if (name.length > COHORT_NAME_MAX) {
    throw new RosterError(
      `cohort name "${name}" is ${name.length} characters long; at most ${COHORT_NAME_MAX}, so that namespaces <name>-<learner> fit in 63`,
    );
  }
  if (RESERVED.has(name)) throw new RosterError(`cohort name "${name}" is reserved; choose another`);
  return name;
}

/** The namespace of learner `id` in cohort `cohort`. */
export function learnerNamespace(cohort: string, id: string): string {
  return `${cohort}-${id}`;
}

/** The namespace holding the cohort's grader ServiceAccount. */
export function cohortNamespace(cohort: string): string {
  return `ica-cohort-${cohort}`;
}

/** Checks one learner id (from the command line or a roster line). */
export function validateLearnerId(cohort: string, id: string, where: string): string {
  const problem = dnsLabelProblem(id);
  if (problem) throw new RosterError(`${where}: learner id "${id}" is not a DNS label: ${problem}`);
  const ns = learnerNamespace(cohort, id);
  if (ns.length > DNS_LABEL_MAX) {
    throw new RosterError(
      `${where}: learner id "${id}" is too long: its namespace ${ns} would have ${ns.length} characters (at most ${DNS_LABEL_MAX})`,
    );
  }
  if (ns === cohortNamespace(cohort)) {
    throw new RosterError(`${where}: learner id "${id}" would take the cohort's own namespace ${ns}`);
  }
  return id;
}

/** Parses a roster file's text: ids in order, duplicates and bad ids reported with their line. */
export function parseRoster(text: string, cohort: string, file = 'roster'): string[] {
  const ids: string[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const value = (raw.split('#')[0] ?? '').trim();
    if (!value) return;
    const where = `${file}:${line}`;
    if (/\s/.test(value)) {
      throw new RosterError(`${where}: one learner id per line, found "${value}"`);
    }
    validateLearnerId(cohort, value, where);
    const first = seen.get(value);
    if (first !== undefined) {
      throw new RosterError(`${where}: learner id "${value}" is already on line ${first}`);
    }
    seen.set(value, line);
    ids.push(value);
  });
  if (ids.length === 0) throw new RosterError(`${file} lists no learner ids (one id a line, # for comments)`);
  return ids;
}

/** Validates ids given on the command line (cohort add/remove). */
export function validateIds(cohort: string, ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    validateLearnerId(cohort, id, 'argument');
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
