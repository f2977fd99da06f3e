// What `cluster up` puts on the lab cluster for the CUSTOM lab is what the lab's given
// files declare: the same extension providers as its mesh-config.yaml (so a learner's
// answer graded offline is graded the same live), and the same ext-authz objects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  extAuthzManifests,
  extAuthzProviderSets,
  extAuthzProvidersMeshYaml,
} from '../../src/core/cluster/ext-authz-sample.ts';

const LAB = join(import.meta.dirname, '../../exercises/08-security/fix-custom-provider/solution');

/** `a.b[0].c=v` values back into the object istioctl builds from them. */
function fromSets(sets: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const s of sets) {
    const [path, value] = s.split('=') as [string, string];
    const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
    let at: Record<string, unknown> = root;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) at[k] = /^\d+$/.test(value) ? Number(value) : value;
      else at = (at[k] ??= /^\d+$/.test(keys[i + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
}

/** The lab's mesh config, ports as numbers (the lab quotes them, as the task does). */
function labProviders(): unknown {
  const cm = load(readFileSync(join(LAB, 'mesh-config.yaml'), 'utf8')) as { data: { mesh: string } };
  const mesh = load(cm.data.mesh) as { extensionProviders: Record<string, Record<string, unknown>>[] };
  return JSON.parse(JSON.stringify(mesh.extensionProviders), (k, v) => (k === 'port' ? Number(v) : v));
}

describe("cluster up's sample external authorizer", () => {
  it('installs the extension providers the lab declares, and nothing else of the mesh config', () => {
    const sets = extAuthzProviderSets();
    expect(sets.every((s) => s.startsWith('meshConfig.extensionProviders['))).toBe(true);
    expect(fromSets(sets)).toEqual({ meshConfig: { extensionProviders: labProviders() } });
  });

  it('the mesh YAML form lists the same providers', () => {
    const mesh = load(extAuthzProvidersMeshYaml()) as { extensionProviders: unknown };
    expect(mesh.extensionProviders).toEqual(labProviders());
  });

  it("deploys the lab's ext-authz.yaml (Istio 1.26's samples/extauthz) in foo, labelled for injection", () => {
    const lab = loadAll(readFileSync(join(LAB, 'ext-authz.yaml'), 'utf8')) as Record<string, unknown>[];
    const strip = (o: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(o)
          .replaceAll(',"imagePullPolicy":"IfNotPresent"', '')
          .replaceAll('"imagePullPolicy":"IfNotPresent",', ''),
      );
    expect(extAuthzManifests().map(strip)).toEqual(lab);
  });
});
