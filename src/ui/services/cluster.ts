// The lab cluster, if `cluster up` recorded one (src/core/cluster/cluster-state.ts).
// The module is looked up at run time: without it, or without a record, the
// trainer is offline (labs are graded with the simulator).
import type { TuiEnv } from './env.ts';

export interface ClusterInfo {
  name: string;
  context: string;
  istioProfile?: string;
  updatedAt?: string;
}

interface ClusterStateModule {
  readClusterRecord(home?: string): Promise<ClusterInfo | undefined>;
}

/** The module's URL beside this one, in the sources (.ts) or in dist/ (.js). */
function moduleUrl(): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`../../core/cluster/cluster-state.${ext}`, import.meta.url).href;
}

export async function clusterInfo(env: Pick<TuiEnv, 'home'>): Promise<ClusterInfo | undefined> {
  let mod: ClusterStateModule;
  try {
    mod = (await import(moduleUrl())) as ClusterStateModule;
  } catch {
    return undefined;
  }
  if (typeof mod.readClusterRecord !== 'function') return undefined;
  const record = await mod.readClusterRecord(env.home);
  return record?.context ? record : undefined;
}
