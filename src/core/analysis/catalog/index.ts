// The message catalog: every finding code with its level, message template,
// explanation (the symptom a user sees) and fix. Rules create findings only
// through `createFinding`, so all wording lives here, sorted by code: the
// trainer's ICA codes (ica.ts), istioctl's IST codes (ist.ts) and the security
// domain's codes of both kinds (security/codes.ts).
import { AMBIENT_ENTRIES } from './ambient/index.ts';
import type { CatalogEntry } from './entry.ts';
import { GATEWAY_API_ENTRIES } from './gateway-api/index.ts';
import { ICA_ENTRIES } from './ica.ts';
import { INSTALL_ENTRIES } from './install/index.ts';
import { IST_ENTRIES } from './ist.ts';
import { SIDECAR_ENTRIES } from './networking/sidecar-codes.ts';
import { SECURITY_ENTRIES } from './security/codes.ts';
import { TELEMETRY_ENTRIES } from './telemetry/codes.ts';

export type { CatalogEntry, RefKind, SchemaParams } from './entry.ts';

const ENTRIES = {
  ...ICA_ENTRIES,
  ...IST_ENTRIES,
  ...SECURITY_ENTRIES,
  ...INSTALL_ENTRIES,
  ...AMBIENT_ENTRIES,
  ...GATEWAY_API_ENTRIES,
  ...SIDECAR_ENTRIES,
  ...TELEMETRY_ENTRIES,
} as const;

/** Sorted by code, whichever module an entry comes from (listings and --list-codes read it in order). */
export const CATALOG: typeof ENTRIES = Object.fromEntries(
  Object.entries(ENTRIES).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
) as typeof ENTRIES;

export type Code = keyof typeof CATALOG;
export type ParamsOf<C extends Code> = (typeof CATALOG)[C] extends CatalogEntry<infer P> ? P : never;
