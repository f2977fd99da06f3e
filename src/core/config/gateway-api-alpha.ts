// Whether istiod reads the experimental Gateway API kinds. istiod 1.26 builds its
// TCPRoute and TLSRoute collections only when PILOT_ENABLE_ALPHA_GATEWAY_API is true
// (pilot/pkg/config/kube/gateway controller: `if features.EnableAlphaGatewayAPI`,
// else an always-empty collection); the default is false. The inputs say it through
// an IstioOperator (values.pilot.env or components.pilot.k8s.env) or an istiod
// Deployment's container env; without either, the default holds.
import type { Snapshot } from './snapshot.ts';

export const ALPHA_GATEWAY_API_FLAG = 'PILOT_ENABLE_ALPHA_GATEWAY_API';

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);

/** Go's strconv.ParseBool true values (istiod's env.Register reads booleans with it). */
const isTrue = (v: unknown): boolean =>
  v === true || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(String(v));

const fromEnvList = (env: unknown): boolean =>
  asList(env).some((e) => e.name === ALPHA_GATEWAY_API_FLAG && isTrue(e.value));

/** Does the istiod of the inputs read TCPRoutes and TLSRoutes? */
export function alphaGatewayApiEnabled(snapshot: Snapshot): boolean {
  for (const op of snapshot.list('IstioOperator')) {
    const spec = asRecord(op.spec);
    if (isTrue(asRecord(asRecord(asRecord(spec.values).pilot).env)[ALPHA_GATEWAY_API_FLAG])) return true;
    if (fromEnvList(asRecord(asRecord(asRecord(spec.components).pilot).k8s).env)) return true;
  }
  for (const d of snapshot.list('Deployment')) {
    if (d.name !== 'istiod' && !d.name.startsWith('istiod-')) continue;
    const containers = asList(asRecord(asRecord(asRecord(d.spec).template).spec).containers);
    if (containers.some((c) => fromEnvList(c.env))) return true;
  }
  return false;
}
