// simulate --from: a caller without a sidecar (no proxy on its side sets a response flag, so a
// reset reads "no response", not "0 UC", as lab check says it) and deploy/NAME.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const STARTER = 'exercises/08-security/fix-strict-legacy-caller/starter';

describe('simulate Responses for a client without a sidecar', () => {
  it('a STRICT server resetting a plaintext caller reads "no response", with no flag legend', () => {
    const r = runCli(['simulate', STARTER, '--from', 'legacy/export-job', '--to', 'details.default']);
    expect(r.stdout).toMatch(/^ {2}no response +1000 100\.0% +connection reset \(curl exit 56\)$/m);
    expect(r.stdout).not.toMatch(/\b0 UC\b/);
    expect(r.stdout).not.toMatch(/^ {2}UC +upstream connection terminated/m);
  });

  it('a caller with a sidecar still shows its status and flags', () => {
    const r = runCli(['simulate', STARTER, '--from', 'default/productpage-v1', '--to', 'details.default']);
    expect(r.stdout).toMatch(/^Responses\n {2}200 -/m);
  });
});

describe('simulate --from deploy/NAME', () => {
  it('names the workload as proxy-config and describe do; an unknown one is still refused', () => {
    const r = runCli(['simulate', STARTER, '--from', 'deploy/reviews-v2', '--to', 'details.default']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Simulated 1000 × GET http:\/\/details\.default\/ from reviews-v2 in default/);
    const bad = runCli(['simulate', STARTER, '--from', 'deploy/nope', '--to', 'details.default']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from "deploy\/nope": no such workload/);
  });
});
