// The install group's rules (injection, revisions). A new rule of this group is
// a new file beside these, listed here.
import type { Rule } from '../../rule.ts';
import { injection } from './injection.ts';
import { istioOperator } from './istio-operator.ts';
import { meshConfig } from './mesh-config.ts';
import { proxyImage } from './proxy-image.ts';

export const INSTALL_RULES: readonly Rule[] = [injection, istioOperator, meshConfig, proxyImage];
