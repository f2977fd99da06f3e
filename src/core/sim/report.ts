// The aggregate as text: a bar chart of where requests went, status codes
// with their Envoy flags explained, latency percentiles, retries, mirrored
// copies, ejections, page views and the load on each pod. Terminal-agnostic:
// colours come in as functions (the CLI passes its palette).
import type { SimSummary } from './aggregate.ts';

type Paint = (s: string) => string;
export interface TextStyle {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

export const FLAG_MEANINGS: Record<string, string> = {
  UH: 'no healthy upstream: no pod, or all ejected',
  UT: 'upstream request timeout',
  UO: 'upstream overflow: connection pool limit (circuit breaker)',
  NR: 'no route: no rule (or virtual host) matched; for TLS, no filter chain for the SNI',
  NC: 'no cluster: the subset or host is not defined',
  DI: 'fault injection delayed the request',
  FI: 'fault injection aborted the request',
  URX: 'retries exhausted',
  UF: 'upstream connection failure',
  UC: 'upstream connection terminated before the response',
  LR: 'connection reset locally',
  DC: 'downstream connection termination: the client went away (its own timeout) before the response',
};

const BAR = 36;

export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 1 : 2)} s`;
  return `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

function bar(percent: number): string {
  const full = Math.round((percent / 100) * BAR);
  return `${'█'.repeat(full)}${'░'.repeat(BAR - full)}`;
}

function pad(s: string, n: number): string {
  return s.padEnd(n);
}

function num(n: number, width: number): string {
  return String(n).padStart(width);
}

function pct(p: number): string {
  return `${p.toFixed(1).padStart(5)}%`;
}

export function formatSummaryText(s: SimSummary, c: TextStyle): string {
  const out: string[] = [];
  const t = s.target;
  const pace = s.qps > 0 ? `${s.qps} qps` : 'max speed';
  out.push(
    c.bold(
      t.tls
        ? `Simulated ${s.requests} × TLS connection to ${t.authority} (SNI ${t.sni ?? t.host}) from ${t.from}`
        : `Simulated ${s.requests} × ${t.method} ${t.https ? 'https' : 'http'}://${t.authority}${t.path} from ${t.from}`,
    ) +
      c.dim(
        ` · ${s.concurrency} client${s.concurrency === 1 ? '' : 's'} · ${pace} · seed ${s.seed} · ${formatDuration(s.simulatedMs)} simulated`,
      ),
  );
  for (const note of s.notes ?? []) out.push(c.yellow(`note: ${note}`));
  out.push('', c.bold('Where requests went'));
  const labels = s.destinations.map((d) => {
    const via = d.via ? ` via ${d.via.filter((h) => h.startsWith('gateway ')).join(', ')}` : '';
    if (!d.reachedPod) return `${d.service}${d.subset ? ` (subset ${d.subset})` : ''}${via}: no pod reached`;
    return `${d.service} ${d.version}${d.subset ? ` (subset ${d.subset})` : ''}${via}`;
  });
  const width = Math.max(...labels.map((l) => l.length), 10);
  s.destinations.forEach((d, i) => {
    const paint = d.reachedPod ? c.green : c.red;
    out.push(`  ${pad(labels[i]!, width)}  ${paint(bar(d.percent))} ${pct(d.percent)} ${num(d.count, 7)}`);
  });

  out.push('', c.bold('Responses'));
  const flags = new Set<string>();
  for (const st of s.statuses) {
    const paint = st.status >= 500 || st.status === 0 ? c.red : st.status >= 400 ? c.yellow : c.green;
    // status and flags as the caller's proxy logs them; no flag and no status: no proxy of the
    // client's own logged anything (no sidecar, a gateway port without a listener)
    const unlogged = st.status === 0 && st.flags === '-';
    const label = unlogged ? 'no response' : `${st.status} ${st.flags}`;
    out.push(
      `  ${paint(pad(label, 12))} ${num(st.count, 7)} ${pct(st.percent)}${statusNote(st, s, c, unlogged)}`,
    );
    for (const f of st.flags.split(',')) if (FLAG_MEANINGS[f]) flags.add(f);
  }
  for (const f of flags) out.push(c.dim(`  ${pad(f, 4)} ${FLAG_MEANINGS[f]}`));

  const l = s.latencyMs;
  out.push(
    '',
    `${c.bold('Latency')}    p50 ${formatDuration(l.p50)}   p90 ${formatDuration(l.p90)}   p99 ${formatDuration(l.p99)}` +
      c.dim(
        `   (min ${formatDuration(l.min)}, mean ${formatDuration(l.mean)}, max ${formatDuration(l.max)})`,
      ),
  );
  const r = s.retries;
  const factor = s.requests > 0 ? (r.upstreamAttempts / s.requests).toFixed(2) : '0';
  out.push(
    r.retries > 0
      ? `${c.bold('Retries')}    ${r.retries} retries on ${r.requestsRetried} requests: ${r.upstreamAttempts} upstream attempts for ${s.requests} requests (${factor}x)`
      : `${c.bold('Retries')}    none`,
  );
  if (s.mirrored.copies > 0) {
    const where = s.mirrored.byDestination.map((m) => `${m.service} ${m.version} ${m.count}`).join(', ');
    const failed = s.mirrored.failed > 0 ? `, ${s.mirrored.failed} reached no pod` : '';
    out.push(
      `${c.bold('Mirrored')}   ${s.mirrored.copies} copies (responses discarded): ${where || 'none delivered'}${failed}`,
    );
  }
  if (s.security && s.security.length > 0) {
    out.push(
      '',
      c.bold('Security decisions') +
        c.dim(
          ' (every hop: mTLS, JWT, authorization; ambient: ztunnel and waypoint; Sidecar ingress listeners)',
        ),
    );
    for (const d of s.security) {
      const paint = /denied|reset|fails|Jwt|expired|not allowed|refused/.test(d.decision) ? c.red : c.green;
      out.push(`  ${num(d.count, 7)} ${pct(d.percent)}  ${paint(d.decision)}`);
    }
  }
  if (s.ejections.length > 0) {
    out.push('', c.bold('Outlier detection'));
    for (const e of s.ejections) {
      out.push(
        `  ${c.yellow(e.pod)} ejected at ${formatDuration(e.atMs)} until ${formatDuration(e.untilMs)}` +
          c.dim(`  (${e.caller} → ${e.cluster})`),
      );
    }
  }
  if (s.pages && s.pages.length > 0) {
    out.push('', c.bold(`What ${t.path} showed`));
    const w = Math.max(...s.pages.map((p) => p.view.length));
    for (const p of s.pages) {
      const paint = p.view.includes('unavailable') ? c.red : c.green;
      out.push(`  ${paint(pad(p.view, w))} ${num(p.count, 7)} ${pct(p.percent)}`);
    }
  }
  if (!s.pages && t.path === '/' && s.destinations.some((d) => d.service === 'productpage' && d.reachedPod)) {
    out.push(
      '',
      c.dim(
        'Tip: --path /productpage shows what the Bookinfo page displays (reviews version, stars, errors).',
      ),
    );
  }
  if (s.upstream.length > 0) {
    out.push(
      '',
      c.bold('Requests reaching each pod') + c.dim(' (retries, app calls and mirrored copies included)'),
    );
    const w = Math.max(...s.upstream.map((u) => u.pod.length));
    for (const u of s.upstream) {
      const extra = [
        u.errors > 0 ? c.red(`${u.errors} errors`) : '',
        u.mirrored > 0 ? `${u.mirrored} mirrored` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(`  ${pad(u.pod, w)} ${num(u.requests, 7)}${extra ? `  ${extra}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** What the client sees when no HTTP status came back (curl's exit code), or a 403's body. */
function statusNote(
  st: SimSummary['statuses'][number],
  s: SimSummary,
  c: TextStyle,
  unlogged: boolean,
): string {
  if (st.status === 403) return c.dim(`  ${forbiddenBodies(s).join(' / ')}`);
  if (st.status !== 0) return '';
  const none = unlogged ? '' : ', no response';
  if (st.refused)
    return c.dim(
      `  connection refused: ${s.target.from.endsWith('(gateway)') ? 'no listener on the port' : 'no pod behind the Service (kube-proxy rejects it)'} (curl exit 7)`,
    );
  if (st.gaveUp) return c.dim(`  the client gave up first${none} (curl --max-time: exit 28)`);
  return c.dim(
    s.target.tls ? `  connection closed${none} (TLS)` : `  connection reset${none} (curl exit 56)`,
  );
}

/**
 * What a 403 says: Envoy's RBAC body, unless a CUSTOM check denied (the security
 * decisions start with the authorizer's body in quotes, or say the answer was chosen).
 */
function forbiddenBodies(s: SimSummary): string[] {
  const bodies = new Set<string>();
  for (const d of s.security ?? []) {
    const quoted = /^"([^"]+)": /.exec(d.decision)?.[1];
    if (quoted) bodies.add(quoted);
    else if (d.decision.includes('as simulate --ext-authz deny says'))
      bodies.add("the external authorizer's response");
    else if (d.decision.startsWith('RBAC: access denied')) bodies.add('RBAC: access denied');
  }
  return bodies.size > 0 ? [...bodies] : ['RBAC: access denied'];
}
