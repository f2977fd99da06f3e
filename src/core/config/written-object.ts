// An object the trainer keeps as written rather than as a Resource of ours: the
// Gateway API routes and ReferenceGrants (load-gateway-api.ts, http-route.ts), read
// from a file or a cluster. Findings name one through analysis/rules/gateway-api/as-resource.ts.
import type { FieldPath, Position } from './resource.ts';

/** An object as written: its name, the document itself, and where it was read. */
export interface WrittenObject {
  namespace: string;
  name: string;
  raw: Record<string, unknown>;
  /** where it was written (a file), or the context it was read from (a cluster: no file) */
  file?: string;
  line?: number;
  cluster?: string;
  /** where a field was written (files only) */
  locate?: (path: FieldPath) => Position;
}
