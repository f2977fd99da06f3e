// PeerAuthentication (VAL ValidatePeerAuthentication): portLevelMtls only with a
// selector, ports in range, and the shared selector checks.
import type { Rule } from '../../../rule.ts';
import { reporter } from '../../shared/report.ts';
import { checkPolicyTarget } from './policy-target.ts';

export const peerAuthentications: Rule = {
  name: 'validation.peer-authentication',
  description:
    'PeerAuthentication selector and portLevelMtls (only with a selector, at least one port, ports 1-65535) as the webhook checks them.',
  reads: ['PeerAuthentication'],
  codes: ['IST0106', 'IST0133'],
  run(ctx) {
    for (const pa of ctx.snapshot.peerAuthentications) {
      const report = reporter(ctx, pa);
      const s = pa.spec;
      checkPolicyTarget(report, s);
      const ports = s.portLevelMtls;
      if (ports === undefined) continue;
      const keys = Object.keys(ports);
      if (Object.keys(s.selector?.matchLabels ?? {}).length === 0 && keys.length > 0)
        report(['spec', 'portLevelMtls'], 'pa.port-level-without-selector', {});
      if (keys.length === 0) report(['spec', 'portLevelMtls'], 'pa.port-level-empty', {});
      for (const k of keys) {
        const n = Number(k);
        if (!/^\d+$/.test(k) || n < 1 || n > 65535)
          report(['spec', 'portLevelMtls', k], 'pa.port-range', { port: k });
      }
    }
  },
};
