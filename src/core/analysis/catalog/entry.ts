// The shape of a catalog entry, and the parameter types several entries share.
import type { Level } from '../finding.ts';
import type { MistakeId } from './mistakes.ts';

export interface CatalogEntry<P> {
  code: string;
  name: string;
  level: Level;
  /** what the check looks for, one sentence (shown by `analyze --list-codes`) */
  description: string;
  message: (p: P) => string;
  explanation: string | ((p: P) => string);
  fix: string | ((p: P) => string);
  mistake?: MistakeId | ((p: P) => MistakeId | undefined);
  /** false when no traffic reaches what the finding is about today (see Finding.affectsTraffic) */
  affectsTraffic?: (p: P) => boolean;
}

export function entry<P = Record<string, never>>(e: CatalogEntry<P>): CatalogEntry<P> {
  return e;
}

export type RefKind =
  | 'gateway'
  | 'host'
  | 'host:port'
  | 'host+subset'
  | 'mirror host'
  | 'mirror host+subset'
  | 'selector'
  | 'sidecar selector'
  | 'credentialName';

/** Parameters of a schema finding: the detail, with optional check-specific texts. */
export interface SchemaParams {
  detail: string;
  why?: string;
  fix?: string;
}
