// simulate's Responses table for a caller without a sidecar: no proxy on its side sets a
// response flag, so a reset reads "no response", not "0 UC" (as lab check says it).
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
