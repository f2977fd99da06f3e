// The rule registry, sorted by name. A rule that is not listed here never runs
// (the meta-tests check every rule module is registered).
import type { Rule } from '../rule.ts';
import { schemaTypes } from './schema-types.ts';
import { VALIDATION_RULES } from './validation/index.ts';

export const RULES: readonly Rule[] = [schemaTypes, ...VALIDATION_RULES].sort((a, b) =>
  a.name.localeCompare(b.name),
);
