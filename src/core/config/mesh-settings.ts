// The mesh settings of a snapshot, resolved once from its inputs and shared with its
// derived views: the mesh ConfigMap taken (mesh-revisions.ts), then the settings in
// precedence order (bare meshConfig documents, IstioOperators, that ConfigMap), and
// each revision's own when several revisions' ConfigMaps exist (proxy-mesh.ts).
import { revisionTags } from './install/tags.ts';
import { chooseMeshConfigMap, type MeshConfigChoice } from './mesh-revisions.ts';
import { type MeshSecurity, meshSecurity } from './mesh-security.ts';
import { ProxyMeshes } from './proxy-mesh.ts';
import type { Kind, Resource } from './resource.ts';
import { firstSetting, meshSources, resolveMesh, trustDomainOf } from './snapshot-objects.ts';
import type { MeshConfigInfo, OutboundMode } from './snapshot-types.ts';
import { type MeshTelemetry, meshTelemetry } from './telemetry-scope.ts';
import { DEFAULT_TRUST_DOMAIN } from './workload-facts.ts';

export interface MeshSettings {
  mesh: MeshConfigInfo;
  trustDomain: string;
  meshTelemetry: MeshTelemetry;
  meshSecurity: MeshSecurity;
  meshChoice: MeshConfigChoice | undefined;
  /** each revision's outbound policy and access logging, when several revisions' ConfigMaps exist */
  proxyMeshes: ProxyMeshes | undefined;
}

export function meshSettings(
  held: (kind: Kind) => readonly Resource[],
  bare: Parameters<typeof meshSources>[0],
  flag: OutboundMode | undefined,
): MeshSettings {
  const meshChoice = chooseMeshConfigMap(held);
  const operators = held('IstioOperator');
  const sources = meshSources(bare, operators, meshChoice?.configMap);
  return {
    mesh: resolveMesh(flag, sources),
    trustDomain: firstSetting(sources, trustDomainOf) ?? DEFAULT_TRUST_DOMAIN,
    meshTelemetry: meshTelemetry(sources),
    meshSecurity: meshSecurity(sources),
    meshChoice,
    proxyMeshes: meshChoice?.others.length
      ? new ProxyMeshes(meshChoice, revisionTags(held('MutatingWebhookConfiguration')), bare, operators, flag)
      : undefined,
  };
}
