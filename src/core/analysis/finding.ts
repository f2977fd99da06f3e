// A finding: what is wrong, where, what it breaks and how to fix it.
import type { FieldPath, Resource } from '../config/resource.ts';

export type Level = 'Error' | 'Warning' | 'Info';
export const LEVELS: readonly Level[] = ['Info', 'Warning', 'Error'];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** A row of the course's common-mistakes table. */
export interface Mistake {
  id: string;
  mistake: string;
  symptom: string;
  solution: string;
}

export interface Finding {
  code: string;
  /** catalog name, e.g. ReferencedResourceNotFound */
  name: string;
  level: Level;
  message: string;
  /** `VirtualService default/reviews` (istioctl's "origin") */
  origin?: string;
  resource?: { kind: string; namespace: string; name: string };
  /** `spec.http[0].route[1].destination.subset` */
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  /** the symptom a user would see */
  explanation: string;
  fix: string;
  /** the istio.io page that covers it */
  docs?: string;
  mistake?: Mistake;
  /**
   * false when no traffic reaches what the finding is about today (an empty subset
   * that no route sends to): such an Error does not fail a lab or a YAML answer.
   */
  affectsTraffic?: false;
}

/** Where a finding points: a resource and a field path, or a bare file position. */
export interface Site {
  resource?: Resource;
  path?: FieldPath;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * Does a finding fail a lab (or a YAML answer)? An Error does, unless no traffic
 * reaches what it is about: the API server would still accept the resource and
 * nothing the task asks for changes (DESIGN: the lab validity gate).
 */
export function failsGrading(f: Finding): boolean {
  return f.level === 'Error' && f.affectsTraffic !== false;
}
