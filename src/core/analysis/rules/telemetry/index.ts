// Rules on the mesh's configuration resources beside networking and security:
// Telemetry (telemetry.istio.io) and ProxyConfig.
import type { Rule } from '../../rule.ts';
import { telemetryProviders } from './providers.ts';
import { proxyConfigs, telemetries } from './validation.ts';

export const TELEMETRY_RULES: readonly Rule[] = [proxyConfigs, telemetries, telemetryProviders];
