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
    .description('What an IstioOperator would install, offline (istioctl manifest generate, profile, tag)');

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
(unknown fields, wrong types, an unknown profile), 2 usage error or unreadable file.`,
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
