// The rule registry, sorted by name: the rules that read every group
// (schema-types.ts) and each API group's registry (networking/, security/, install/,
// ambient/, gateway-api/). A rule
// that is not listed in one of them never runs (the meta-tests check every rule
// module is registered).
import type { Rule } from '../rule.ts';
import { AMBIENT_RULES } from './ambient/index.ts';
import { GATEWAY_API_RULES } from './gateway-api/index.ts';
import { INSTALL_RULES } from './install/index.ts';
import { NETWORKING_RULES } from './networking/index.ts';
import { schemaTypes } from './schema-types.ts';
import { SECURITY_RULES } from './security/index.ts';
import { TELEMETRY_RULES } from './telemetry/index.ts';

export const RULES: readonly Rule[] = [
  schemaTypes,
  ...NETWORKING_RULES,
  ...SECURITY_RULES,
  ...INSTALL_RULES,
  ...AMBIENT_RULES,
  ...GATEWAY_API_RULES,
  ...TELEMETRY_RULES,
].sort((a, b) => a.name.localeCompare(b.name));
