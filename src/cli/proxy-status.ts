// `ica-trainer proxy-status [paths...]`: istioctl proxy-status offline, from
// the model's state (a drill declares istiod down or proxies STALE with the
// ConfigMap istio-system/ica-drill).
import type { Command } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, palette, UserError, write } from './output.ts';

interface StatusFlags {
  namespace: string;
  live?: boolean;
  context?: string;
  kubeconfig?: string;
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
    .option('-n, --namespace <ns>', 'namespace of resources that do not set one', 'default')
    .option('--live', 'also run istioctl proxy-status on the cluster and compare it with the prediction')
    .option('--context <name>', 'with --live: the kubeconfig context to use')
    .option('--kubeconfig <file>', 'with --live: the kubeconfig file to use');
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
    unpushed: VirtualService/reviews  # what that push carried (Kind/name, Kind/ns/name)

An istiod Deployment in istio-system with replicas: 0 is istiod down too. While
istiod is down, no proxy has the unpushed resources; once it runs, the STALE
proxies still lack them (simulate and proxy-config route them so) until their
workload is restarted (kubectl rollout restart writes the pod template's
kubectl.kubernetes.io/restartedAt annotation: new pods, fresh connections).

SYNCED: the proxy acknowledged istiod's last push; STALE: istiod sent a push the
proxy has not acknowledged (it runs an older configuration); NOT SENT: istiod
never sent that type (RDS to a gateway that no Gateway selects). ECDS is IGNORED
(not used). The ages istioctl adds to SYNCED are not modelled.

With --live, istioctl proxy-status runs on the cluster too, and the states are
compared per workload (the cluster's pod names carry hashes; ages are ignored).

Exit codes: 0 shown (--live: and the cluster agrees), 1 istiod is down (as istioctl,
no table) or, with --live, the cluster differs, 2 usage error, no input readable, or
istioctl missing or failing.`,
    )
    .action(async (paths: string[], flags: StatusFlags) => {
      const { loadEnvoyView } = await import('./proxy-config.ts');
      const view = await loadEnvoyView(paths, flags);
      const envoy = await import('../core/envoy/index.ts');
      const drill = envoy.drillState(view);
      if (drill.istiodDown) {
        throw new UserError(
          `unable to find any Istiod instances (${drill.downBecause}: proxies keep serving their last configuration, and nothing applied since reaches them)`,
          EXIT.fail,
        );
      }
      const table = envoy.proxyStatusTable(envoy.proxyStatusRows(view, drill));
      if (!flags.live) {
        await write(table);
        process.exitCode = EXIT.ok;
        return;
      }
      process.exitCode = await liveStatus(view, table, paths, flags);
    });
}

async function liveStatus(
  view: import('../core/envoy/index.ts').EnvoyView,
  predicted: string,
  paths: string[],
  flags: StatusFlags,
): Promise<number> {
  const { compareStatus } = await import('../core/envoy/live.ts');
  const args = ['proxy-status'];
  if (flags.context) args.push('--context', flags.context);
  if (flags.kubeconfig) args.push('--kubeconfig', flags.kubeconfig);
  const { askIstioctl, sideBySide } = await import('./istioctl-live.ts');
  const answer = await askIstioctl(args, 'istioctl proxy-status');
  const workloads = view.snapshot
    .workloadsMatching({})
    .map((w) => ({ name: w.name, namespace: w.namespace }));
  const cmp = compareStatus(predicted, answer.stdout, workloads);
  const c = palette();
  let text = sideBySide(paths, predicted, answer);
  if (!cmp) {
    await write(
      `${text}${c.yellow("istioctl's table has another layout than istioctl 1.26's: not compared.")}\n`,
    );
    return EXIT.ok;
  }
  const scope = cmp.outOfScope ? ` (${cmp.outOfScope} proxies the model does not have left out)` : '';
  if (cmp.agree) text += `${c.green(`The cluster agrees with the prediction${scope}.`)}\n`;
  else {
    text += `${c.red(c.bold(`The cluster differs from the prediction${scope}:`))}\n`;
    for (const d of cmp.differences) text += `  ${d}\n`;
  }
  await write(text);
  return cmp.agree ? EXIT.ok : EXIT.fail;
}
