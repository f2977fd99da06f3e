// The message catalog: every finding code with its level, message template,
// explanation (the symptom a user sees) and fix. Rules create findings only
// through `createFinding`, so all wording lives here, sorted by code: the
// trainer's ICA codes (ica.ts) and istioctl's IST codes (ist.ts).
import type { CatalogEntry } from './entry.ts';
import { ICA_ENTRIES } from './ica.ts';
import { IST_ENTRIES } from './ist.ts';

export type { CatalogEntry, RefKind, SchemaParams } from './entry.ts';

export const CATALOG = { ...ICA_ENTRIES, ...IST_ENTRIES } as const;

export type Code = keyof typeof CATALOG;
export type ParamsOf<C extends Code> = (typeof CATALOG)[C] extends CatalogEntry<infer P> ? P : never;
