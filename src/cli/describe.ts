// `ica-trainer describe pod POD [paths...]`: what `istioctl x describe pod`
// summarises, offline: Services, DestinationRule subsets, the VirtualService
// routes that reach the pod, RBAC policies, ingress exposure, mTLS mode and the
// PeerAuthentications applied; --live puts istioctl's answer beside it.
import type { Command } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, palette, UserError, write } from './output.ts';

interface DescribeFlags {
  namespace: string;
  live?: boolean;
  context?: string;
  kubeconfig?: string;
  bookinfo: boolean;
  outboundMode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
}

export function registerDescribe(program: Command): void {
  const cmd = program
    .command('describe')
    .description('Summarise what applies to a pod, as istioctl x describe pod does, offline')
    .argument('<kind>', 'pod')
    .argument('<pod>', 'a pod or Deployment name (productpage-v1-<hash>, deploy/reviews-v2, NAME.NAMESPACE)')
    .argument(
      '[paths...]',
      'YAML files or directories (recursive); "-" reads stdin; none: the Bookinfo model only',
    )
    .option('-n, --namespace <ns>', 'namespace of the pod and of resources that do not set one', 'default')
    .option('--live', 'also run istioctl x describe pod on the cluster and compare it with the prediction')
    .option('--context <name>', 'with --live: the kubeconfig context to use')
    .option('--kubeconfig <file>', 'with --live: the kubeconfig file to use');
  snapshotOptions(cmd)
    .addHelpText(
      'after',
      `
Example:
  $ ica-trainer describe pod reviews-v2 reviews.yaml dr.yaml
      which DestinationRule subsets select reviews v2, and which routes reach it

Which routes reach the pod comes from the simulator's compiled tables: a route
reaches it when its cluster holds one of the pod's replicas. A route to a subset
nobody defines (503 NC) or to one without pods (503 UH) is named. A pod in
ambient (istio.io/dataplane-mode) is described too: its data plane, and for each
Service the waypoint that serves it (where VirtualServices apply) or why none does.

"RBAC policies" names the rules of the AuthorizationPolicies in the pod's first
RBAC filter (AUDIT, else DENY, else ALLOW: istioctl shows that one only), as Envoy
names them (ns[NS]-policy[NAME]-rule[i]). "Effective PeerAuthentication" is the
mTLS mode the pod's sidecar enforces (workload > namespace > mesh-wide policy,
port-level modes below it); "Applied PeerAuthentication" lists the policies that
select the pod.

With --live, istioctl x describe pod runs on the cluster too (name the pod as the
cluster does), and the facts both state are compared: Services, DestinationRule,
its matching subsets and TLS mode, VirtualServices, RBAC policies, mTLS modes and
the PeerAuthentications applied.

Exit codes: 0 described (--live: and the cluster agrees), 1 with --live, the
cluster differs, 2 usage error (not "pod", unknown pod), no input readable, or
istioctl missing or failing.`,
    )
    .action(async (kind: string, pod: string, paths: string[], flags: DescribeFlags) => {
      if (!/^(pod|pods|po)$/i.test(kind))
        throw new UserError(`describe knows pods only, not "${kind}" (ica-trainer describe pod NAME)`);
      const { loadEnvoyView, resolveOrExplain } = await import('./proxy-config.ts');
      const view = await loadEnvoyView(paths, flags);
      const proxy = await resolveOrExplain(view, pod, flags.namespace, { ambient: true });
      const envoy = await import('../core/envoy/index.ts');
      const predicted = envoy.describePod(view, proxy);
      if (!flags.live) {
        await write(predicted);
        process.exitCode = EXIT.ok;
        return;
      }
      process.exitCode = await liveDescribe(pod, predicted, paths, flags);
    });
}

async function liveDescribe(
  pod: string,
  predicted: string,
  paths: string[],
  flags: DescribeFlags,
): Promise<number> {
  const { compareDescribe } = await import('../core/envoy/describe-live.ts');
  const args = ['x', 'describe', 'pod', pod.replace(/^(pods?|po)\//i, ''), '-n', flags.namespace];
  if (flags.context) args.push('--context', flags.context);
  if (flags.kubeconfig) args.push('--kubeconfig', flags.kubeconfig);
  const { askIstioctl, sideBySide } = await import('./istioctl-live.ts');
  const answer = await askIstioctl(args, 'istioctl x describe pod');
  const c = palette();
  let text = sideBySide(paths, predicted, answer);
  const cmp = compareDescribe(predicted, answer.stdout);
  if (!cmp) {
    await write(
      `${text}${c.yellow("istioctl's answer has no Pod: line (another layout than 1.26's): not compared.")}\n`,
    );
    return EXIT.ok;
  }
  if (cmp.agree) text += `${c.green('The cluster agrees with the prediction.')}\n`;
  else {
    text += `${c.red(c.bold('The cluster differs from the prediction:'))}\n`;
    for (const f of cmp.onlyPredicted) text += `  predicted, not on the cluster:  ${f}\n`;
    for (const f of cmp.onlyCluster) text += `  on the cluster, not predicted:  ${f}\n`;
  }
  await write(text);
  return cmp.agree ? EXIT.ok : EXIT.fail;
}
