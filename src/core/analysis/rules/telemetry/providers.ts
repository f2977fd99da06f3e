// Telemetry providers as istiod resolves them: IST0157 (istioctl's
// telemetry.ProviderAnalyzer: accessLogging without providers and no default
// accessLogging provider in the mesh config) and ICA1015 (a provider name not among
// the mesh config's extension providers: istiod skips it).
import type { Rule } from '../../rule.ts';

export const telemetryProviders: Rule = {
  name: 'telemetry.providers',
  description:
    'Telemetry providers the mesh config defines (ICA1015), and accessLogging that names none without a default provider (IST0157).',
  reads: ['Telemetry'],
  codes: ['IST0157', 'ICA1015'],
  run(ctx) {
    const mesh = ctx.snapshot.meshTelemetry;
    const known = Object.keys(mesh.providers).sort().join(', ');
    for (const t of ctx.snapshot.telemetries) {
      const name = `${t.namespace}/${t.name}`;
      if (
        mesh.defaultAccessLogging.length === 0 &&
        (t.spec.accessLogging ?? []).some((l) => !l.providers?.length)
      )
        ctx.report('IST0157', { telemetry: t.name, namespace: t.namespace }, t, ['spec', 'accessLogging']);
      for (const section of ['accessLogging', 'tracing', 'metrics'] as const) {
        (t.spec[section] ?? []).forEach((entry, i) => {
          (entry.providers ?? []).forEach((p, j) => {
            if (p.name && mesh.providers[p.name] === undefined)
              ctx.report('ICA1015', { telemetry: name, provider: p.name, known }, t, [
                'spec',
                section,
                i,
                'providers',
                j,
                'name',
              ]);
          });
        });
      }
    }
  },
};
