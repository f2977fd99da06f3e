// The mesh config istiod reads from the `istio` ConfigMap (data.mesh): a value
// of the wrong type (a misspelt REGISTRY_ONLY) makes the document unreadable, so
// istiod keeps the mesh config it had; an unknown field is dropped silently
// (protobuf JSON with DiscardUnknown), so the setting meant has no effect.
import { parseWithSchema } from '../../../config/schemas/index.ts';
import { meshConfigSchema } from '../../../config/schemas/install/mesh-config.ts';
import { parseYamlStream } from '../../../config/yaml.ts';
import type { Rule } from '../../rule.ts';

const WHY = ' (istiod cannot read this mesh config and keeps the one it had)';
// No webhook checks a ConfigMap's data: the apply succeeds and the change silently has no effect.
const EXPLAIN =
  'kubectl apply accepts the ConfigMap (no webhook reads data.mesh), but istiod cannot parse the mesh config and keeps serving the one it had: the change has no effect.';

export const meshConfig: Rule = {
  name: 'install.mesh-config',
  description: "Fields and values of the istio ConfigMap's mesh config that istiod refuses.",
  reads: ['ConfigMap'],
  codes: ['ICA1103', 'IST0106'],
  run(ctx) {
    for (const r of ctx.snapshot.list('ConfigMap')) {
      if (r.origin.builtin || !/^istio(-[a-z0-9-]+)?$/.test(r.name) || r.name === 'istio-ca-root-cert')
        continue;
      const data = r.raw.data as Record<string, unknown> | undefined;
      if (typeof data?.mesh !== 'string') continue;
      const at = ['data', 'mesh'];
      const doc = parseYamlStream(data.mesh)[0];
      if (!doc || doc.error) {
        ctx.report('IST0106', { detail: `data.mesh is not valid YAML${WHY}`, why: EXPLAIN }, r, at);
        continue;
      }
      if (doc.value === null || doc.value === undefined) continue;
      for (const issue of parseWithSchema(meshConfigSchema, doc.value).issues) {
        const field = issue.path.map(String).join('.');
        if (issue.kind === 'unknown-field')
          ctx.report(
            'ICA1103',
            {
              field,
              where: `ConfigMap ${r.namespace}/${r.name} data.mesh`,
              ...(issue.suggestion ? { suggestion: issue.suggestion } : {}),
            },
            r,
            at,
          );
        else
          ctx.report(
            'IST0106',
            { detail: `data.mesh: ${field}: ${issue.message}${WHY}`, why: EXPLAIN },
            r,
            at,
          );
      }
    }
  },
};
