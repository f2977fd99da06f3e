// Options several commands share, defined once.
import { type Command, Option } from 'commander';

/** `--no-bookinfo` and `--outbound-mode`: what the offline snapshot holds. */
export function snapshotOptions(cmd: Command): Command {
  return cmd
    .option('--no-bookinfo', 'do not add the built-in Bookinfo workloads to the snapshot')
    .addOption(
      new Option(
        '--outbound-mode <mode>',
        "the mesh's outboundTrafficPolicy (overrides mesh config in the inputs)",
      ).choices(['REGISTRY_ONLY', 'ALLOW_ANY']),
    );
}
