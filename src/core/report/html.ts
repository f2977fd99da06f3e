// The cohort report as ONE self-contained HTML file: inline CSS and SVG, no script,
// no external asset (a Content-Security-Policy forbids loading any), so that an
// instructor can mail it or open it from disk. Sections: summary, completion per lab
// (an SVG bar chart), the learners × labs matrix, what to teach next.
import type { CohortReport, ReportCell } from './cohort-report.ts';
import { xmlEscape as esc } from './formats.ts';

const CSS = `
:root { --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --none: #6e7781;
  --none-bg: #f6f8fa; --tried: #f2c94c; --line: #d0d7de; --ink: #1f2328; --muted: #59636e; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 24px 0 8px; }
h2 { font-size: 17px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.sub { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 140px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; }
.matrix-wrap { overflow-x: auto; }
table.matrix th, table.matrix td { border: 1px solid var(--line); padding: 4px 8px; text-align: center; }
table.matrix th.learner, table.matrix td.learner { text-align: left; white-space: nowrap; }
table.matrix thead th { background: var(--none-bg); font-weight: 600; font-size: 12px; vertical-align: bottom; }
table.matrix thead th .t { display: block; font-weight: 400; color: var(--muted); max-width: 140px;
  white-space: normal; }
td.cell { min-width: 64px; font-weight: 600; }
td.passed { background: var(--pass-bg); color: var(--pass); }
td.failed { background: var(--fail-bg); color: var(--fail); }
td.not-started { background: var(--none-bg); color: var(--none); font-weight: 400; }
td.cell small { display: block; font-weight: 400; font-size: 11px; }
td.total { font-variant-numeric: tabular-nums; }
tr.removed td.learner { color: var(--muted); text-decoration: line-through; }
.legend { color: var(--muted); font-size: 12px; margin-top: 6px; }
table.codes th, table.codes td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left;
  vertical-align: top; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; background: var(--none-bg); padding: 1px 4px;
  border-radius: 4px; }
svg text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--line); }
td.nowrap { white-space: nowrap; }
section.alerts { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: 2px 16px 8px;
  margin-top: 24px; }
section.alerts h2 { color: var(--fail); border: 0; margin-top: 12px; }
section.alerts li { margin: 4px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { body { padding: 0; } .matrix-wrap { overflow: visible; } }
`;

function pct(n: number, d: number): number {
  return d === 0 ? 0 : Math.round((100 * n) / d);
}

function when(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '–';
}

/** Horizontal bars: share of learners who passed each lab, and who tried it. */
export function completionChart(r: CohortReport): string {
  const n = r.learners.length;
  const labelW = Math.min(260, 16 + 7.2 * Math.max(8, ...r.labs.map((l) => l.id.length)));
  const barW = 440;
  const rowH = 26;
  const top = 24;
  const width = Math.ceil(labelW + barW + 110);
  const height = top + rowH * r.labs.length + 28;
  const x = (p: number) => labelW + (barW * p) / 100;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" id="completion-chart" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-labelledby="chart-title">`,
    `<title id="chart-title">Completion per lab: share of the ${n} learners who passed each lab</title>`,
  );
  for (const p of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line class="axis" x1="${x(p)}" y1="${top - 6}" x2="${x(p)}" y2="${top + rowH * r.labs.length}"/>`,
      `<text x="${x(p)}" y="${top - 10}" text-anchor="middle" font-size="11">${p}%</text>`,
    );
  }
  r.labs.forEach((lab, i) => {
    const y = top + i * rowH;
    const passed = pct(lab.passed, n);
    const tried = pct(lab.attempted, n);
    parts.push(
      `<g class="bar" data-lab="${esc(lab.id)}" data-passed="${lab.passed}" data-percent="${passed}">`,
      `<title>${esc(`${lab.id}: ${lab.passed} of ${n} passed (${passed}%), ${lab.attempted} tried`)}</title>`,
      `<text x="${labelW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end">${esc(lab.id)}</text>`,
      `<rect x="${labelW}" y="${y + 4}" width="${barW}" height="${rowH - 8}" fill="#f6f8fa"/>`,
      `<rect x="${labelW}" y="${y + 4}" width="${(barW * tried) / 100}" height="${rowH - 8}" fill="#f2c94c" opacity="0.45"/>`,
      `<rect class="passed" x="${labelW}" y="${y + 4}" width="${(barW * passed) / 100}" height="${rowH - 8}" fill="#1a7f37"/>`,
      `<text x="${labelW + barW + 8}" y="${y + rowH / 2 + 4}">${passed}% (${lab.passed}/${n})</text>`,
      '</g>',
    );
  });
  const ly = top + rowH * r.labs.length + 14;
  parts.push(
    `<rect x="${labelW}" y="${ly - 9}" width="12" height="10" fill="#1a7f37"/><text x="${labelW + 16}" y="${ly}">passed</text>`,
    `<rect x="${labelW + 80}" y="${ly - 9}" width="12" height="10" fill="#f2c94c" opacity="0.45"/><text x="${labelW + 96}" y="${ly}">tried, not passed yet</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

function cellHtml(cell: ReportCell | undefined, learner: string, lab: string): string {
  const status = cell?.status ?? 'not-started';
  const attrs = `class="cell ${status}" data-learner="${esc(learner)}" data-lab="${esc(lab)}" data-status="${status}" data-attempts="${cell?.attempts ?? 0}"`;
  if (!cell || status === 'not-started') return `<td ${attrs} title="not started">·</td>`;
  const attempts = `${cell.attempts} attempt${cell.attempts === 1 ? '' : 's'}`;
  if (status === 'passed') {
    const title = `passed ${when(cell.firstPassedAt)} after ${attempts}${cell.current === 'fail' ? '; failing again since' : ''}`;
    return `<td ${attrs} title="${esc(title)}">✓<small>${attempts}</small></td>`;
  }
  const title = [`failed: ${attempts}`, ...cell.reasons].join('\n');
  const codes = cell.codes.length ? ` · ${cell.codes.slice(0, 2).join(' ')}` : '';
  return `<td ${attrs} title="${esc(title)}">✗<small>${esc(`${attempts}${codes}`)}</small></td>`;
}

/** The latest run's alerts, above everything else: an instructor acts on them first. */
function alertsHtml(r: CohortReport): string {
  if (!r.alerts.length) return '';
  const items = r.alerts.map((a) => `<li>${esc(a)}</li>`).join('\n');
  return `<section id="alerts" class="alerts"><h2>Alerts</h2><p class="sub">Latest grading run: learner resources that reach into another learner's namespace or traffic on the shared cluster.</p><ul>\n${items}\n</ul></section>`;
}

export function reportToHtml(r: CohortReport): string {
  const n = r.learners.length;
  const cellsTotal = n * r.labs.length;
  const passedTotal = r.labs.reduce((s, l) => s + l.passed, 0);
  const head = r.labs
    .map(
      (l, i) =>
        `<th scope="col" data-lab="${esc(l.id)}">#${i + 1} ${esc(l.id)}<span class="t">${esc(l.title)}</span></th>`,
    )
    .join('');
  const rows = r.learners
    .map((l) => {
      const cells = r.labs.map((lab) => cellHtml(l.cells[lab.id], l.id, lab.id)).join('');
      return `<tr data-learner="${esc(l.id)}"${l.removed ? ' class="removed"' : ''}><td class="learner" title="${esc(`namespace ${l.namespace}${l.removed ? ', removed from the cohort' : ''}`)}">${esc(l.id)}</td>${cells}<td class="total">${l.passed}/${r.labs.length}</td></tr>`;
    })
    .join('\n');
  const codes = r.topCodes.length
    ? `<table class="codes" id="teach-next"><thead><tr><th>Code</th><th>Finding</th><th>Learners</th><th>Failing labs</th><th>Labs</th></tr></thead><tbody>${r.topCodes
        .map(
          (c) =>
            `<tr data-code="${esc(c.code)}"><td><code>${esc(c.code)}</code></td><td><b>${esc(c.name)}</b><br>${esc(c.description)}</td><td>${c.learners}</td><td>${c.occurrences}</td><td>${esc(c.labs.join(', '))}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p id="teach-next">${r.learners.some((l) => Object.values(l.cells).some((c) => c.current === 'fail')) ? 'No finding codes in the failing labs: see the failing criteria below.' : 'No lab is failing: nothing to re-teach.'}</p>`;
  const criteria = r.topCriteria.length
    ? `<h3>Most failed criteria</h3><table class="codes" id="failed-criteria"><thead><tr><th>Lab</th><th>Criterion</th><th>Learners</th><th>For example</th></tr></thead><tbody>${r.topCriteria
        .map(
          (c) =>
            `<tr data-lab="${esc(c.lab)}" data-criterion="${esc(c.criterion)}"><td class="nowrap">${esc(c.lab)}</td><td><code>${esc(c.criterion)}</code></td><td>${c.learners}</td><td title="${esc(c.example)}">${esc(c.example.length > 220 ? `${c.example.slice(0, 219)}…` : c.example)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`Cohort ${r.cohort}: ica-trainer report`)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Cohort ${esc(r.cohort)}</h1>
<p class="sub">${n} learner${n === 1 ? '' : 's'} · ${r.labs.length} lab${r.labs.length === 1 ? '' : 's'} · ${r.runs} grading run${r.runs === 1 ? '' : 's'}${r.firstRunAt ? ` from ${when(r.firstRunAt)} to ${when(r.lastRunAt)}` : ''}</p>
<div class="cards">
<div class="card"><b>${n}</b><span>learners</span></div>
<div class="card"><b>${r.labs.length}</b><span>labs graded</span></div>
<div class="card" id="overall"><b>${pct(passedTotal, cellsTotal)}%</b><span>of learner × lab cells passed (${passedTotal}/${cellsTotal})</span></div>
</div>
${alertsHtml(r)}
<h2>Completion per lab</h2>
${r.labs.length ? completionChart(r) : '<p>No labs graded yet: run <code>ica-trainer cohort grade</code>.</p>'}
<h2>Learners × labs</h2>
<div class="matrix-wrap">
<table class="matrix" id="matrix">
<thead><tr><th scope="col" class="learner">Learner</th>${head}<th scope="col">Passed</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</div>
<p class="legend">✓ passed, ✗ failed, · not started. Attempts count the distinct configurations graded, up to the first pass. Hover a cell for the failing criteria.</p>
<h2>Teach next</h2>
<p class="sub">The findings most learners are stuck on, in the labs they are failing.</p>
${codes}
${criteria}
<footer>Generated by ica-trainer at ${esc(when(r.generatedAt))}.</footer>
</body>
</html>
`;
}
