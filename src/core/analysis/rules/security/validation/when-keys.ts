// The condition keys of AuthorizationPolicy `when` (Istio's
// security.ValidateAttribute), with a "did you mean" for a misspelt key.
import { closest } from '../../../../config/schemas/index.ts';

const EXACT = [
  'source.ip',
  'remote.ip',
  'source.namespace',
  'source.serviceAccount',
  'source.principal',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'destination.ip',
  'destination.port',
  'connection.sni',
];
const MAPS = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

/** Why Istio rejects a when key, or undefined when it accepts it. */
export function whenKeyProblem(key: string): string | undefined {
  if (EXACT.includes(key)) return undefined;
  const map = MAPS.find((m) => key.startsWith(m));
  if (map) {
    const open = key.indexOf('[');
    return key.endsWith(']') && open > 0 && open < key.length - 2 ? undefined : 'should have the format a[b]';
  }
  if (key === 'destination.namespace') return "replaced by the policy's metadata.namespace";
  if (key.startsWith('destination.labels')) return 'replaced by the workload selector';
  if (key === 'destination.name' || key === 'destination.user')
    return 'deprecated attribute (only in v1alpha1)';
  const base = key.includes('[') ? key.slice(0, key.indexOf('[')) : key;
  const near = closest(base, [...EXACT, 'request.headers', 'request.auth.claims']);
  return `unknown attribute${near ? ` (did you mean "${near}${key.slice(base.length)}"?)` : ''}`;
}
