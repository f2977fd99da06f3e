// A graded lab as text (criteria ✓/✗ with reasons and findings) and JSON.
import type { Finding } from '../core/analysis/finding.ts';
import type { LabResult } from '../core/grading/types.ts';
import { plural } from '../core/plural.ts';
import { printable } from '../core/text-safety.ts';
import { capRepeated, hiddenLines, where } from './format-findings.ts';
import type { Palette } from './output.ts';

export function labResultToText(r: LabResult, c: Palette, nextHint?: string): string {
  const out: string[] = [];
  out.push(`${c.bold(r.title)} ${c.dim(`(${r.lab}, ${r.mode})`)}`);
  // A finding cited by several criteria is explained once, where it first appears.
  const explained = new Set<string>();
  for (const cr of r.criteria) {
    const mark = cr.pass ? c.green('✓') : c.red('✗');
    out.push(`  ${mark} ${printable(cr.text)}`);
    out.push(`      ${c.dim(printable(cr.reason))}`);
    if (!cr.pass) {
      const capped = capRepeated(cr.findings);
      for (const f of capped.shown) {
        const loc = printable(where(f));
        const key = `${f.code}|${f.origin ?? ''}|${f.path ?? ''}|${f.file ?? ''}|${f.line ?? ''}|${f.message}`;
        const again = explained.has(key);
        explained.add(key);
        out.push(
          `      ${c.yellow(f.code)} ${printable(f.message)}${loc ? c.dim(`  ${loc}`) : ''}${again ? c.dim('  (explained above)') : ''}`,
        );
        if (again) continue;
        if (f.path) out.push(`        ${c.dim(`field ${printable(f.path)}`)}`);
        out.push(`        ${c.dim('why:')} ${printable(f.explanation)}`);
        out.push(`        ${c.dim('fix:')} ${printable(f.fix)}`);
        if (f.docs) out.push(`        ${c.dim('docs:')} ${f.docs}`);
      }
      out.push(...hiddenLines(capped, c, '      '));
    }
    // Errors the gate did not count: named in the reason, located here
    for (const f of cr.notCounted ?? []) {
      const loc = printable(where(f));
      out.push(`      ${c.dim(`${f.code} ${printable(f.message)}${loc ? `  ${loc}` : ''}  (not counted)`)}`);
    }
  }
  const passed = r.criteria.filter((x) => x.pass).length;
  out.push('');
  if (r.pass) out.push(c.green(`PASS: all ${plural(r.criteria.length, 'criterion')} met.`));
  else {
    out.push(c.red(`FAIL: ${passed} of ${plural(r.criteria.length, 'criterion')} met.`));
    if (nextHint) out.push(`${c.bold('Hint:')} ${nextHint}`);
  }
  return `${out.join('\n')}\n`;
}

export function labResultToJson(r: LabResult, nextHint?: string): string {
  const criteria = r.criteria.map((cr) => ({
    id: cr.id,
    text: cr.text,
    pass: cr.pass,
    reason: cr.reason,
    codes: cr.codes,
    findings: cr.findings.map(jsonFinding),
    ...(cr.notCounted?.length ? { notCounted: cr.notCounted.map(jsonFinding) } : {}),
  }));
  return `${JSON.stringify({ lab: r.lab, title: r.title, mode: r.mode, pass: r.pass, files: r.files, criteria, nextHint: nextHint ?? null }, null, 2)}\n`;
}

function jsonFinding(f: Finding) {
  return {
    code: f.code,
    level: f.level,
    message: f.message,
    origin: f.origin,
    path: f.path,
    file: f.file,
    line: f.line,
    column: f.column,
    explanation: f.explanation,
    fix: f.fix,
    ...(f.docs ? { docs: f.docs } : {}),
  };
}
