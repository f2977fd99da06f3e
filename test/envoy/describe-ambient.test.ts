// `describe pod` and `simulate` on ambient pods: the data plane, the waypoint
// that serves each Service (or why none does), and the ztunnel/waypoint path.
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const f = (name: string) => new URL(`../fixtures/ambient/${name}`, import.meta.url).pathname;

describe('ambient in describe pod and simulate', () => {
  it('describe pod names the waypoint that serves the Service and where the VirtualService applies', () => {
    const r = cli(['describe', 'pod', 'reviews-v2', f('enrolled-waypoint.yaml'), f('reviews-jason.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {3}Data plane: ambient \(ztunnel/m);
    expect(r.stdout).not.toMatch(/istio-proxy/);
    expect(r.stdout).toMatch(
      /^Waypoint: default\/waypoint \(namespace default's istio.io\/use-waypoint\): ambient clients reach reviews through it/m,
    );
  });

  it('without a waypoint describe pod says the VirtualService reaches sidecar clients only', () => {
    const r = cli(['describe', 'pod', 'reviews-v2', f('ambient-namespace.yaml'), f('reviews-jason.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Waypoint: none \(no istio.io\/use-waypoint on the Service or its namespace\).*VirtualService applies to sidecar clients only$/m,
    );
  });

  it('proxy-config still refuses an ambient pod (no Envoy of its own) and says why', () => {
    const r = cli(['proxy-config', 'routes', 'reviews-v2', f('ambient-namespace.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is in ambient \(ztunnel carries its traffic, no sidecar\)/);
  });

  it('simulate shows the ztunnel → waypoint → ztunnel path and the route taken at the waypoint', () => {
    const r = cli([
      'simulate',
      f('enrolled-waypoint.yaml'),
      f('reviews-jason.yaml'),
      '--to',
      'reviews',
      '--from',
      'productpage-v1',
      '-H',
      'end-user: jason',
      '--requests',
      '100',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/reviews v2 \(subset v2\).*100\.0%/);
    expect(r.stdout).toMatch(
      /ambient: productpage-v1 → ztunnel → waypoint default\/waypoint → ztunnel → reviews-v2-0 \(HBONE mTLS\)/,
    );
  });

  it('simulate without a waypoint says the VirtualService does not apply', () => {
    const r = cli([
      'simulate',
      f('ambient-namespace.yaml'),
      f('reviews-jason.yaml'),
      '--to',
      'reviews',
      '--from',
      'productpage-v1',
      '-H',
      'end-user: jason',
      '--requests',
      '100',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /VirtualService default\/reviews does not apply: no waypoint serves reviews\.default\.svc\.cluster\.local/,
    );
    expect(r.stdout).not.toMatch(/reviews v2 \(subset v2\).*100\.0%/);
  });
});
