// The shape of a webhook check, the helper that types one, and the texts the
// check tables share. A module of its own so that schema-checks.ts and the
// per-kind tables it combines can all import it without an import cycle.
export type SchemaLevel = 'error' | 'warning';

export interface SchemaCheck<P> {
  level: SchemaLevel;
  detail: (p: P) => string;
  why?: string;
  fix?: string | ((p: P) => string);
}

type NoParams = Record<string, never>;

export function check<P extends object = NoParams>(c: SchemaCheck<P>): SchemaCheck<P> {
  return c;
}

/** Quotes a value as written: "5xx, reset" (only quotes and control characters escaped). */
const plain = (s: string): boolean => [...s].every((c) => c !== '"' && c.charCodeAt(0) >= 0x20);
export const q = (v: unknown): string => (typeof v === 'string' && plain(v) ? `"${v}"` : JSON.stringify(v));

/** What happens to a resource the webhook rejects. */
export const REJECTED_WHY =
  'kubectl apply fails with \'admission webhook "validation.istio.io" denied the request: configuration is invalid\' and nothing changes: the cluster keeps the previous version of the resource (or never creates it).';
/** What happens to a resource the webhook accepts with a warning. */
export const WARNED_WHY =
  'kubectl apply succeeds and prints this as a "Warning:" line: Istio accepts the resource, but it does not behave the way it reads.';

export const LABEL_RULE =
  'letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
