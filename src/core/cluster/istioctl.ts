// istioctl: installing Istio into the lab cluster, and reading which version runs.
import { type Runner, runChecked } from './exec.ts';
import { extAuthzProviderSets } from './ext-authz-sample.ts';

export const DEFAULT_ISTIO_PROFILE = 'demo';
export const ISTIO_NAMESPACE = 'istio-system';

/** Why `profile` cannot be an istioctl profile name, or undefined. */
export function profileProblem(profile: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(profile)) {
    return `"${profile}" is not an Istio profile name (demo, default, minimal, ambient, ...)`;
  }
  return undefined;
}

export function istioctlInstallArgs(profile: string, context: string, revision?: string): string[] {
  const rev = revision ? ['--set', `revision=${revision}`] : [];
  // the sample ext-authz providers of istio.io's authz-custom task (ext-authz-sample.ts)
  const providers = extAuthzProviderSets().flatMap((s) => ['--set', s]);
  return ['install', '--set', `profile=${profile}`, ...rev, ...providers, '-y', '--context', context];
}

/**
 * `istioctl install --set profile=<profile> [--set revision=<rev>] --set meshConfig.extensionProviders[i]... -y`: installs, or
 * brings an install back to the profile (an in-place upgrade when istioctl is newer).
 */
export async function istioctlInstall(
  run: Runner,
  o: { profile: string; context: string; timeoutMs: number; revision?: string },
): Promise<string> {
  const r = await runChecked(run, {
    file: 'istioctl',
    args: istioctlInstallArgs(o.profile, o.context, o.revision),
    timeoutMs: o.timeoutMs,
  });
  return r.stdout;
}

/** The Istio version of a control-plane image: docker.io/istio/pilot:1.26.2 -> 1.26.2. */
export function istioVersionFromImage(image: string): string | undefined {
  const m = /:(\d+\.\d+\.\d+[^@]*)(?:@.*)?$/.exec(image);
  return m?.[1];
}
