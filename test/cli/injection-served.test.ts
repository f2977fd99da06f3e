// describe, proxy-status and simulate agree with lab check on which pods get a sidecar
// when no injector serves the revision they ask for (lab injection-puzzle).
import { describe, expect, it } from 'vitest';
import { runCli as cli } from '../helpers/cli.ts';

const lab = (part: string) =>
  new URL(`../../exercises/09-installation/injection-puzzle/${part}`, import.meta.url).pathname;

describe('pods asking for a revision no injector serves', () => {
  it('proxy-status lists no proxy for them; the solution brings them back', () => {
    const starter = cli(['proxy-status', lab('starter')]);
    expect(starter.code).toBe(0);
    // istio-injection=enabled selects the default revision: only 1-26 is installed
    expect(starter.stdout).not.toMatch(/^(cart|orders|batch-report)-0\.shop /m);
    // sidecar.istio.io/inject=true in an unlabelled namespace asks the default revision too
    expect(starter.stdout).not.toMatch(/^debug-0\.tools /m);
    // Bookinfo (its namespace not among the files) keeps its sidecars
    expect(starter.stdout).toMatch(/^reviews-v1-0\.default /m);
    const solved = cli(['proxy-status', lab('solution')]);
    expect(solved.stdout).toMatch(/^cart-0\.shop /m);
    expect(solved.stdout).toMatch(/^debug-0\.tools /m);
    expect(solved.stdout).not.toMatch(/^(batch-report-0\.shop|toolbox-0\.tools) /m);
  });

  it('simulate sends from such a pod without a client sidecar; proxy-config says why it has none', () => {
    const fromCart = (dir: string) =>
      cli(['simulate', '--from', 'shop/cart', '--to', 'orders.shop', '--requests', '20', lab(dir)]);
    const sim = fromCart('starter');
    expect(sim.code).toBe(0);
    expect(sim.stdout).toMatch(/the caller has no sidecar/);
    const cfg = cli(['proxy-config', 'routes', 'cart.shop', lab('starter')]);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toMatch(
      /cart\.shop has no Istio sidecar: it asks for the default revision, which no injector serves here/,
    );
    const solved = cli([
      'simulate',
      '--from',
      'shop/cart',
      '--to',
      'orders.shop',
      '-n',
      '20',
      lab('solution'),
    ]);
    expect(solved.stdout).not.toMatch(/the caller has no sidecar/);
  });
});
