// `ica-trainer proxy-status [paths...]`: istioctl proxy-status offline, from
// the model's state (a drill declares istiod down or proxies STALE with the
// ConfigMap istio-system/ica-drill).
import type { Command } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, UserError, write } from './output.ts';

interface StatusFlags {
  namespace: string;
  bookinfo: boolean;
  outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
}

export function registerProxyStatus(program: Command): void {
  const cmd = program
    .command('proxy-status')
    .alias('ps')
    .description(
      "Show whether each proxy has istiod's latest configuration, as istioctl proxy-status would, offline",
    )
    .argument(
      '[paths...]',
      'YAML files or directories (recursive); "-" reads stdin; none: the Bookinfo model only',
    )
    .option('-n, --namespace <ns>', 'namespace of resources that do not set one', 'default');
  snapshotOptions(cmd)
    .addHelpText(
      'after',
      `
A drill declares the control plane's state with a ConfigMap:

  apiVersion: v1
  kind: ConfigMap
  metadata: {name: ica-drill, namespace: istio-system}
  data:
    istiod: down                   # istiod unreachable: istioctl cannot answer
    stale: reviews-v2,ratings-v1   # these proxies have not acknowledged the last push

SYNCED: the proxy acknowledged istiod's last push; STALE: istiod sent a push the
proxy has not acknowledged (it runs an older configuration); NOT SENT: istiod
never sent that type (RDS to a gateway that no Gateway selects). ECDS is IGNORED
(not used). The ages istioctl adds to SYNCED are not modelled.

Exit codes: 0 shown, 1 istiod is down (as istioctl, no table), 2 usage error or no
input readable.`,
    )
    .action(async (paths: string[], flags: StatusFlags) => {
      const { loadEnvoyView } = await import('./proxy-config.ts');
      const view = await loadEnvoyView(paths, flags);
      const envoy = await import('../core/envoy/index.ts');
      const drill = envoy.drillState(view);
      if (drill.istiodDown) {
        throw new UserError(
          'unable to find any Istiod instances (the drill declares istiod down: proxies keep serving their last configuration, and nothing applied since reaches them)',
          EXIT.fail,
        );
      }
      await write(envoy.proxyStatusTable(envoy.proxyStatusRows(view, drill)));
      process.exitCode = EXIT.ok;
    });
}
