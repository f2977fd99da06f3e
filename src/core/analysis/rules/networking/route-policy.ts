import { parseDurationMs } from '../../../config/duration.ts';
import { toFqdn } from '../../../config/hosts.ts';
import type { DestinationRule } from '../../../config/snapshot.ts';
import type { Rule } from '../../rule.ts';
import { routeDestinations } from './destinations.ts';

function formatPercent(n: number): string {
  return `${Number.isInteger(n) ? n : n.toFixed(1)}%`;
}

/** The course's "weights don't sum to 100": say what split Envoy will actually apply. */
export const routeWeights: Rule = {
  name: 'route.weights',
  description: 'The weights of a route with several destinations add up to 100.',
  reads: ['VirtualService'],
  codes: ['ICA1001'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      for (const protocol of ['http', 'tcp', 'tls'] as const) {
        (vs.spec[protocol] ?? []).forEach((rule, i) => {
          const route = rule?.route ?? [];
          if (route.length < 2) return; // a lone destination always gets 100%
          const weights = route.map((d) => Math.max(0, d?.weight ?? 0));
          const total = weights.reduce((a, b) => a + b, 0);
          if (total === 100 || total === 0) return; // 0 is a validation error
          const shares = route
            .map((d, j) => {
              const dest = d?.destination;
              const label = `${dest?.host ?? '?'}${dest?.subset ? ` ${dest.subset}` : ''}`;
              return `${formatPercent(Math.round(((weights[j] ?? 0) / total) * 1000) / 10)} to ${label}`;
            })
            .join(', ');
          ctx.report('ICA1001', { total, shares }, vs, ['spec', protocol, i, 'route']);
        });
      }
    }
  },
};

function hasOutlierDetection(rules: DestinationRule[], subset: string | undefined): boolean {
  for (const dr of rules) {
    const tp = dr.spec.trafficPolicy;
    if (tp?.outlierDetection || tp?.portLevelSettings?.some((p) => p?.outlierDetection)) return true;
    const s = subset ? dr.spec.subsets?.find((x) => x?.name === subset) : undefined;
    if (s?.trafficPolicy?.outlierDetection) return true;
  }
  return false;
}

/** The course's "retries without circuit breaking": retries towards a destination with no outlier detection. */
export const retriesWithoutOutlierDetection: Rule = {
  name: 'route.retries-outlier-detection',
  description: 'Retried destinations have outlier detection, so retries do not hammer failing pods.',
  reads: ['VirtualService', 'DestinationRule'],
  codes: ['ICA1002'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      const dests = routeDestinations(vs).filter((d) => d.protocol === 'http');
      (vs.spec.http ?? []).forEach((rule, i) => {
        const attempts = rule?.retries?.attempts;
        if (!attempts || attempts <= 0) return;
        const reported = new Set<string>();
        for (const d of dests) {
          if (d.rule !== i || !d.destination.host) continue;
          const fqdn = toFqdn(d.destination.host, vs.namespace);
          if (reported.has(fqdn)) continue;
          if (!hasOutlierDetection(ctx.snapshot.destinationRulesFor(fqdn), d.destination.subset)) {
            reported.add(fqdn);
            ctx.report('ICA1002', { host: d.destination.host, attempts }, vs, ['spec', 'http', i, 'retries']);
          }
        }
      });
    }
  },
};

/** Istio's retryOn when a VirtualService sets none (none of these retries a timed-out try). */
const ISTIO_DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/** Does Envoy retry a try that hit its perTryTimeout? Only for 5xx, gateway-error or reset. */
function retriesTimeouts(retryOn: string): boolean {
  return retryOn.split(',').some((c) => ['5xx', 'gateway-error', 'reset'].includes(c.trim()));
}

/**
 * The course's "timeout shorter than retries × perTryTimeout", counted as Envoy does:
 * `attempts: N` is N retries, so N + 1 tries of perTryTimeout each (ICA1003). A try that
 * times out is retried only when retryOn has 5xx, gateway-error or reset; otherwise the
 * first per-try timeout ends the request (ICA1011).
 */
export const timeoutShorterThanRetries: Rule = {
  name: 'route.timeout-retries',
  description:
    'A route timeout leaves room for the first try and every retry ((attempts + 1) × perTryTimeout), and a perTryTimeout is one that retryOn retries.',
  reads: ['VirtualService'],
  codes: ['ICA1003', 'ICA1011'],
  run(ctx) {
    for (const vs of ctx.snapshot.virtualServices) {
      (vs.spec.http ?? []).forEach((rule, i) => {
        const timeout = rule?.timeout;
        const attempts = rule?.retries?.attempts;
        const perTry = rule?.retries?.perTryTimeout;
        if (!perTry || !attempts || attempts <= 0) return;
        const p = parseDurationMs(perTry);
        if (p === undefined || p === 0) return;
        const written = rule?.retries?.retryOn;
        const retryOn = written ?? ISTIO_DEFAULT_RETRY_ON;
        if (!retriesTimeouts(retryOn)) {
          ctx.report(
            'ICA1011',
            {
              perTry,
              attempts,
              retryOn: written ? `retryOn "${written}"` : `Istio's default retryOn (${retryOn})`,
            },
            vs,
            ['spec', 'http', i, 'retries', written ? 'retryOn' : 'perTryTimeout'],
          );
          return;
        }
        if (!timeout) return;
        const t = parseDurationMs(timeout);
        if (t === undefined || t === 0) return;
        const tries = attempts + 1;
        const budgetMs = tries * p;
        if (t >= budgetMs) return;
        ctx.report(
          'ICA1003',
          {
            timeout,
            attempts,
            tries,
            perTry,
            budget: formatMs(budgetMs),
            complete: Math.floor(t / p),
          },
          vs,
          ['spec', 'http', i, 'timeout'],
        );
      });
    }
  },
};

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
