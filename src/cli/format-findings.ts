// Findings as text (grouped by resource), JSON and YAML.
import { dump } from 'js-yaml';
import type { Finding } from '../core/analysis/finding.ts';
import { printable } from '../core/text-safety.ts';
import type { Palette } from './output.ts';

/** The JSON shape: istioctl's field names (code, level, message, origin) plus the trainer's. */
export function findingsToJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings.map(jsonFinding), null, 2)}\n`;
}

export function findingsToYaml(findings: readonly Finding[]): string {
  return dump(findings.map(jsonFinding), { lineWidth: 120, noRefs: true });
}

function jsonFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = { code: f.code, name: f.name, level: f.level, message: f.message };
  if (f.origin) out.origin = f.origin;
  if (f.path) out.path = f.path;
  if (f.file) out.file = f.file;
  if (f.line) out.line = f.line;
  if (f.column) out.column = f.column;
  out.explanation = f.explanation;
  out.fix = f.fix;
  if (f.docs) out.docs = f.docs;
  if (f.mistake) out.mistake = f.mistake;
  return out;
}

export function where(f: Finding): string {
  if (!f.file) return '';
  return f.line ? `${f.file}:${f.line}:${f.column ?? 1}` : f.file;
}

function levelText(f: Finding, c: Palette): string {
  if (f.level === 'Error') return c.red(c.bold('Error  '));
  if (f.level === 'Warning') return c.yellow(c.bold('Warning'));
  return c.cyan('Info   ');
}

/**
 * Text output prints at most this many findings of one code in full; the rest are
 * counted on one line (5,000 VirtualServices for one host once made 350 MB of text).
 * JSON and YAML output list every finding.
 */
export const MAX_SHOWN_PER_CODE = 20;

export interface Capped {
  shown: Finding[];
  /** code -> how many were left out */
  hidden: Map<string, number>;
}

/** The first MAX_SHOWN_PER_CODE findings of each code, in order, and the counts of the rest. */
export function capRepeated(findings: readonly Finding[], max = MAX_SHOWN_PER_CODE): Capped {
  const seen = new Map<string, number>();
  const hidden = new Map<string, number>();
  const shown: Finding[] = [];
  for (const f of findings) {
    const n = (seen.get(f.code) ?? 0) + 1;
    seen.set(f.code, n);
    if (n <= max) shown.push(f);
    else hidden.set(f.code, (hidden.get(f.code) ?? 0) + 1);
  }
  return { shown, hidden };
}

/** "… and 4,980 more IST0109 findings (5,000 in all; -o json lists every one)" */
export function hiddenLines(capped: Capped, c: Palette, indent = '  ', max = MAX_SHOWN_PER_CODE): string[] {
  return [...capped.hidden].map(([code, n]) =>
    c.dim(
      `${indent}… and ${n.toLocaleString('en-US')} more ${code} finding${n === 1 ? '' : 's'} (${(n + max).toLocaleString('en-US')} in all; -o json lists every one)`,
    ),
  );
}

/** One finding, several lines: what, where, why, fix, and the common mistake it is. */
export function formatFinding(f: Finding, c: Palette, indent = '  '): string {
  // values from the YAML are shown escaped, never sent to the terminal as they are
  const lines = [`${indent}${levelText(f, c)} ${c.bold(f.code)} ${printable(f.message)}`];
  const loc = printable([f.path, where(f)].filter(Boolean).join('  '));
  if (loc) lines.push(`${indent}        ${c.dim(`at ${loc}`)}`);
  lines.push(`${indent}        ${c.dim('why:')} ${printable(f.explanation)}`);
  lines.push(`${indent}        ${c.dim('fix:')} ${printable(f.fix)}`);
  if (f.mistake) lines.push(`${indent}        ${c.dim('common mistake:')} ${f.mistake.mistake}`);
  if (f.docs) lines.push(`${indent}        ${c.dim('docs:')} ${f.docs}`);
  return lines.join('\n');
}

export interface TextSummary {
  files: number;
  resources: number;
}

export function findingsToText(findings: readonly Finding[], c: Palette, summary: TextSummary): string {
  const capped = capRepeated(findings);
  const groups = new Map<string, Finding[]>();
  for (const f of capped.shown) {
    const key = f.origin ?? (f.file ? `file ${f.file}` : 'input');
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(f);
  }
  const out: string[] = [];
  for (const [key, list] of groups) {
    out.push(c.bold(printable(key)));
    for (const f of list) out.push(formatFinding(f, c));
    out.push('');
  }
  const more = hiddenLines(capped, c, '');
  if (more.length > 0) out.push(...more, '');
  const count = (level: Finding['level']) => findings.filter((f) => f.level === level).length;
  const errors = count('Error');
  const warnings = count('Warning');
  const infos = count('Info');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const scope = `${plural(summary.resources, 'resource')} from ${plural(summary.files, 'input')}`;
  if (findings.length === 0) out.push(c.green(`✔ No validation issues found when analyzing ${scope}.`));
  else
    out.push(
      `${errors ? c.red(plural(errors, 'error')) : plural(errors, 'error')}, ${
        warnings ? c.yellow(plural(warnings, 'warning')) : plural(warnings, 'warning')
      }, ${plural(infos, 'info')} in ${scope}.`,
    );
  return `${out.join('\n')}\n`;
}
