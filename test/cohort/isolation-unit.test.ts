// cohort init's isolation checks without a cluster: the exportTo warning names the exact
// meshConfig to add, and a server without the Sidecar kind is told apart from one with it.
import { describe, expect, it } from 'vitest';
import { ApiStatusError } from '../../src/core/cluster/http.ts';
import { meshExportWarning, sidecarServed } from '../../src/core/cohort/isolation.ts';
import type { ObjectClient } from '../../src/core/cohort/kube.ts';
import { learnerSidecarManifest } from '../../src/core/cohort/manifests.ts';

const serving = (get: () => Promise<unknown>) => ({ http: { get } }) as unknown as ObjectClient;

describe('mesh exportTo defaults', () => {
  it('warns with the exact setting when the defaults are unset or "*"', () => {
    const w = meshExportWarning('accessLogFile: /dev/stdout\ndefaultDestinationRuleExportTo: ["*"]\n');
    expect(w).toContain(
      'defaultVirtualServiceExportTo: [".","istio-system"], defaultDestinationRuleExportTo: [".","istio-system"], defaultServiceExportTo: [".","istio-system"]',
    );
    expect(w).toContain('cohort init does not change it');
    expect(meshExportWarning(undefined)).toContain('defaultServiceExportTo');
  });
  it('names only the defaults still open, and is silent once all keep resources at home', () => {
    const some = meshExportWarning(
      'defaultVirtualServiceExportTo: [".", istio-system]\ndefaultServiceExportTo: ["."]\n',
    );
    expect(some).toContain('(defaultDestinationRuleExportTo unset or "*")');
    expect(some).not.toContain('defaultServiceExportTo:');
    expect(
      meshExportWarning(
        'defaultVirtualServiceExportTo: [".", istio-system]\ndefaultDestinationRuleExportTo: [".", istio-system]\ndefaultServiceExportTo: [".", istio-system]\n',
      ),
    ).toBeUndefined();
  });
  it('says so when the mesh config is not YAML', () => {
    expect(meshExportWarning('a: [')).toMatch(/not valid YAML/);
  });
});

describe('the Sidecar kind', () => {
  it('is served when discovery lists sidecars, not when the group or the kind is missing', async () => {
    expect(
      await sidecarServed(
        serving(async () => ({ resources: [{ name: 'virtualservices' }, { name: 'sidecars' }] })),
      ),
    ).toBe(true);
    expect(await sidecarServed(serving(async () => ({ resources: [{ name: 'virtualservices' }] })))).toBe(
      false,
    );
    expect(
      await sidecarServed(
        serving(async () => {
          throw new ApiStatusError(404, 'GET', '/apis/networking.istio.io/v1', undefined);
        }),
      ),
    ).toBe(false);
    await expect(
      sidecarServed(
        serving(async () => {
          throw new ApiStatusError(403, 'GET', '/apis/networking.istio.io/v1', undefined);
        }),
      ),
    ).rejects.toThrow(ApiStatusError);
  });
  it("imports only the learner's namespace and istio-system, for every pod there", () => {
    const m = learnerSidecarManifest('spring', 'alice');
    expect(m).toMatchObject({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'spring-alice' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] },
    });
    expect((m.spec as Record<string, unknown>).workloadSelector).toBeUndefined();
  });
});
