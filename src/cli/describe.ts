// `ica-trainer describe pod POD [paths...]`: what `istioctl x describe pod`
// summarises, offline: Services, DestinationRule subsets, the VirtualService
// routes that reach the pod, ingress exposure, mTLS mode.
import type { Command } from 'commander';
import { snapshotOptions } from './options.ts';
import { EXIT, UserError, write } from './output.ts';

interface DescribeFlags {
  namespace: string;
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
    .option('-n, --namespace <ns>', 'namespace of the pod and of resources that do not set one', 'default');
  snapshotOptions(cmd)
    .addHelpText(
      'after',
      `
Example:
  $ ica-trainer describe pod reviews-v2 reviews.yaml dr.yaml
      which DestinationRule subsets select reviews v2, and which routes reach it

Which routes reach the pod comes from the simulator's compiled tables: a route
reaches it when its cluster holds one of the pod's replicas. A route to a subset
nobody defines (503 NC) or to one without pods (503 UH) is named. The mTLS mode
is Istio's default (PERMISSIVE) until PeerAuthentication is modelled. A pod in
ambient (istio.io/dataplane-mode) is described too: its data plane, and for each
Service the waypoint that serves it (where VirtualServices apply) or why none does.

Exit codes: 0 described, 2 usage error (not "pod", unknown pod) or no input readable.`,
    )
    .action(async (kind: string, pod: string, paths: string[], flags: DescribeFlags) => {
      if (!/^(pod|pods|po)$/i.test(kind))
        throw new UserError(`describe knows pods only, not "${kind}" (ica-trainer describe pod NAME)`);
      const { loadEnvoyView, resolveOrExplain } = await import('./proxy-config.ts');
      const view = await loadEnvoyView(paths, flags);
      const proxy = await resolveOrExplain(view, pod, flags.namespace, { ambient: true });
      const envoy = await import('../core/envoy/index.ts');
      await write(envoy.describePod(view, proxy));
      process.exitCode = EXIT.ok;
    });
}
