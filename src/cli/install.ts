// `ica-trainer install ...`: the offline counterpart of istioctl's install
// commands (manifest generate, profile list|dump|diff, tag list). Nothing here
// touches a cluster: it shows what a configuration would install.
import { type Command, Option } from 'commander';

type Format = 'text' | 'json' | 'yaml';
const outputOption = (formats: Format[], dflt: Format) =>
  new Option('-o, --output <format>', 'output format').choices(formats).default(dflt);

export function registerInstall(program: Command): void {
  const install = program
    .command('install')
    .description(
      'What an IstioOperator or a Helm install would install, offline (istioctl manifest generate, profile, tag; helm values and order)',
    );

  const manifest = install.command('manifest').description('Render what an install configuration creates');
  manifest
    .command('generate')
    .description(
      'Summarise (or print, -o yaml) the objects an IstioOperator installs, as istioctl manifest generate',
    )
    .option('-f, --filename <file...>', 'IstioOperator files, overlaid in order (as istioctl -f)')
    .option(
      '-s, --set <path=value...>',
      'override a field, e.g. meshConfig.accessLogFile=/dev/stdout or profile=demo',
    )
    .addOption(outputOption(['text', 'json', 'yaml'], 'text'))
    .addHelpText(
      'after',
      `
Without -f the default profile is rendered. Text output lists each component
(enabled or not, replicas or HPA bounds, resources, gateway Services), the mesh
config istiod would serve and what the configuration changes against its profile.
-o yaml prints the key objects (ConfigMap istio, the injector webhook, Deployments,
DaemonSets, HPAs, Services): give them to \`analyze\` to check routing against them.

Exit codes: 0 rendered, 1 the configuration has errors istioctl would refuse
(unknown fields, spec.values keys Istio 1.26's Values do not have, wrong types, an
unknown profile), 2 usage error or unreadable file.`,
    )
    .action(async (flags: { filename?: string[]; set?: string[]; output: Format }) => {
      const { runManifestGenerate } = await import('./install-actions.ts');
      process.exitCode = await runManifestGenerate(flags);
    });

  const profile = install.command('profile').description('The built-in installation profiles of Istio 1.26');
  profile
    .command('list')
    .description('List the profiles, as istioctl profile list')
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(async (flags: { output: Format }) => {
      const { runProfileList } = await import('./install-actions.ts');
      process.exitCode = await runProfileList(flags);
    });
  profile
    .command('dump')
    .description(
      'Print a profile (or an IstioOperator over its profile, -f) in full, as istioctl profile dump',
    )
    .argument('[profile]', 'profile name (default: default, or the profile the file names)')
    .option('-f, --filename <file...>', 'IstioOperator files, overlaid in order')
    .addOption(outputOption(['yaml', 'json'], 'yaml'))
    .action(async (name: string | undefined, flags: { filename?: string[]; output: Format }) => {
      const { runProfileDump } = await import('./install-actions.ts');
      process.exitCode = await runProfileDump(name, flags);
    });
  profile
    .command('diff')
    .description('What changes from one profile to another, field by field (istioctl profile diff)')
    .argument('<a>', 'a profile name, or an IstioOperator file')
    .argument('<b>', 'a profile name, or an IstioOperator file')
    .addOption(outputOption(['text', 'json'], 'text'))
    .addHelpText('after', '\nExit codes: 0 no difference, 1 they differ (as diff), 2 usage error.')
    .action(async (a: string, b: string, flags: { output: Format }) => {
      const { runProfileDiff } = await import('./install-actions.ts');
      process.exitCode = await runProfileDiff(a, b, flags);
    });

  const helm = install
    .command('helm')
    .description("Istio's Helm charts (base, istiod, gateway, cni, ztunnel), offline");
  helm
    .command('check')
    .description(
      'Check a values file (and --set) against a chart; show what the release would run and, for istiod, its mesh config',
    )
    .requiredOption('--chart <chart>', 'base, istiod, gateway, cni or ztunnel')
    .argument('[values...]', 'values files, overlaid in order (as helm -f)')
    .option('-f, --values <file...>', 'values files, as helm -f (after the positional ones)')
    .option('-s, --set <key=value...>', 'override a value, as helm --set (pilot.replicaCount=2)')
    .option('-n, --namespace <ns>', 'the release namespace (default istio-system; default for gateway)')
    .option(
      '--release <name>',
      'the release name (istio-base, istiod, istio-ingress, cni, ztunnel by default)',
    )
    .addOption(outputOption(['text', 'json'], 'text'))
    .addHelpText(
      'after',
      `
Keys are those of Istio 1.26's charts. An unknown top-level key is an error for the gateway
chart (its values.schema.json refuses it; a nested one is a warning, the schema does not close
service, autoscaling ...) and a warning for the others (helm ignores it: no effect), with "did you mean" by spelling or by the same key elsewhere
(replicaCount -> pilot.replicaCount). Wrong types and keys the charts no longer read are
reported too; meshConfig is checked as istiod reads it.

Exit codes: 0 the values are usable (warnings allowed), 1 errors, 2 usage error or unreadable file.`,
    )
    .action(
      async (
        values: string[],
        flags: {
          chart: string;
          values?: string[];
          set?: string[];
          namespace?: string;
          release?: string;
          output: Format;
        },
      ) => {
        const { runHelmCheck } = await import('./install-helm.ts');
        process.exitCode = await runHelmCheck(values, flags);
      },
    );
  helm
    .command('plan')
    .description('Check the order of a script of helm install commands (ICA1104)')
    .argument(
      '<script>',
      'a shell script: helm install|upgrade --install lines, kubectl create namespace, comments',
    )
    .argument('[yaml...]', 'YAML files whose Namespaces exist before the script runs')
    .option('--gateway-namespace <ns>', 'the namespace gateways must go to')
    .addOption(outputOption(['text', 'json'], 'text'))
    .addHelpText(
      'after',
      `
Each release is checked when its turn comes: base before istiod (the CRDs), istiod before
a gateway (it injects the gateway's pods), profile=ambient with istiod, cni and ztunnel,
every namespace created before a release goes into it (kubectl create namespace,
--create-namespace, or a Namespace in the YAML files), and --set values against the chart.

Exit codes: 0 every release can install, 1 a step cannot work or a line is not a command
the trainer reads, 2 usage error or unreadable file.`,
    )
    .action(async (script: string, yaml: string[], flags: { gatewayNamespace?: string; output: Format }) => {
      const { runHelmPlan } = await import('./install-helm.ts');
      process.exitCode = await runHelmPlan(script, yaml, flags);
    });

  const tag = install
    .command('tag')
    .description('Revision tags (MutatingWebhookConfigurations istio-revision-tag-<tag>)');
  tag
    .command('list')
    .description('List revision tags found in YAML files, as istioctl tag list does on a cluster')
    .argument('<paths...>', 'YAML files or directories holding the webhooks and Namespaces')
    .addOption(outputOption(['text', 'json'], 'text'))
    .action(async (paths: string[], flags: { output: Format }) => {
      const { runTagList } = await import('./install-actions.ts');
      process.exitCode = await runTagList(paths, flags);
    });
}
