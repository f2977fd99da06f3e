// The lab cluster `cluster up` made, remembered in the learner's state folder
// ($ICA_TRAINER_HOME or the platform's data directory) as cluster.json, written
// atomically. Live mode reads it to know which kubeconfig context is the lab's.
// The file only records what kind can tell again, so an unreadable one is
// treated as absent (and replaced on the next `cluster up`).
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../atomic-file.ts';
import { stateHome } from '../progress/store.ts';

export const CLUSTER_FILE = 'cluster.json';

export const clusterRecordSchema = z.object({
  version: z.literal(1),
  /** kind cluster name */
  name: z.string().min(1),
  /** kubeconfig context (kind-<name>) */
  context: z.string().min(1),
  istioProfile: z.string().min(1),
  /** the revision `cluster up --revision` installed (absent: the default revision) */
  istioRevision: z.string().min(1).optional(),
  /** when `cluster up` last completed */
  updatedAt: z.string(),
});

export type ClusterRecord = z.infer<typeof clusterRecordSchema>;

export function clusterRecordPath(home: string = stateHome()): string {
  return join(home, CLUSTER_FILE);
}

/** The recorded cluster, or undefined when none is recorded (or the file is unusable). */
export async function readClusterRecord(home?: string): Promise<ClusterRecord | undefined> {
  let text: string;
  try {
    text = await readFile(clusterRecordPath(home), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = clusterRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The kubeconfig context of the recorded lab cluster, if any. */
export async function recordedContext(home?: string): Promise<string | undefined> {
  return (await readClusterRecord(home))?.context;
}

export async function writeClusterRecord(
  record: Omit<ClusterRecord, 'version' | 'updatedAt'>,
  options: { home?: string; now?: Date } = {},
): Promise<string> {
  const path = clusterRecordPath(options.home);
  const full = clusterRecordSchema.parse({
    version: 1,
    ...record,
    updatedAt: (options.now ?? new Date()).toISOString(),
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomically(path, `${JSON.stringify(full, null, 2)}\n`);
  return path;
}

/** Forgets the record when it names cluster `name` (or is unusable); true when a file was removed. */
export async function forgetClusterRecord(name: string, home?: string): Promise<boolean> {
  const path = clusterRecordPath(home);
  const record = await readClusterRecord(home);
  if (record && record.name !== name) return false;
  try {
    await rm(path);
    return true;
  } catch {
    return false;
  }
}
