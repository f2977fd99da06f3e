// Who refuses an install configuration, as the learner is told: an IstioOperator is refused
// by istioctl (no API server or webhook sees it since Istio 1.24), and a misspelt value in the
// istio ConfigMap's mesh config is accepted by kubectl and then not read by istiod, which keeps
// the mesh config it had. Neither is "the validating webhook rejects the resource".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const home = () => ({ ICA_TRAINER_HOME: mkdtempSync(join(tmpdir(), 'ica-refusals-')) });
const lab = (id: string) =>
  new URL(`../../exercises/09-installation/${id}/starter`, import.meta.url).pathname;

describe('IST0106 on install configuration names who refuses it', () => {
  it('an IstioOperator: istioctl install refuses it, nothing is installed', () => {
    const r = runCli(['analyze', lab('istio-operator-overlay'), '-o', 'json']);
    expect(r.code).toBe(1);
    const [f] = (JSON.parse(r.stdout) as { code: string; explanation: string }[]).filter(
      (x) => x.code === 'IST0106',
    );
    expect(f?.explanation).toMatch(/istioctl install .*refuses/);
    expect(f?.explanation).not.toMatch(/webhook|kubectl apply/);
  });

  it("the istio ConfigMap's data.mesh: kubectl accepts it, istiod cannot read it and keeps the mesh config it had", () => {
    const r = runCli(['analyze', lab('mesh-config-registry-only'), '-o', 'json']);
    expect(r.code).toBe(1);
    const [f] = (JSON.parse(r.stdout) as { code: string; explanation: string }[]).filter(
      (x) => x.code === 'IST0106',
    );
    expect(f?.explanation).toMatch(/kubectl apply accepts/);
    expect(f?.explanation).toMatch(/istiod/);
    expect(f?.explanation).not.toMatch(/validating webhook rejects/);
  });

  it('lab check says which tool would not take the starter, not "the API server would refuse it"', () => {
    const mesh = runCli(
      ['lab', 'check', 'mesh-config-registry-only', '--dir', lab('mesh-config-registry-only')],
      { env: home() },
    );
    expect(mesh.stdout).not.toMatch(/the API server would refuse it: ConfigMap/);
    expect(mesh.stdout).toMatch(/not applied, istiod would not read it: ConfigMap istio-system\/istio/);
    const iop = runCli(['lab', 'check', 'istio-operator-overlay', '--dir', lab('istio-operator-overlay')], {
      env: home(),
    });
    expect(iop.stdout).not.toMatch(/the API server would refuse it: IstioOperator/);
    // the validity criterion itself does not claim an API server reads an IstioOperator
    expect(iop.stdout).not.toMatch(/the API server would accept it/);
    expect(iop.stdout).toMatch(
      /✗ The configuration is valid: Istio would accept it as written \(the API server, istiod or istioctl, whichever reads it\)/,
    );
    expect(iop.stdout).toMatch(
      /not applied, istioctl would refuse it: IstioOperator istio-system\/team-install/,
    );
  });
});
