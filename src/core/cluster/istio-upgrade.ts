// Before `cluster up` runs `istioctl install` on a cluster that already has a mesh:
// which control planes run (istiod Deployments in istio-system: revision from the
// istio.io/rev label, version from the image), which version istioctl would install,
// and whether this install changes the mesh (an in-place upgrade of a running
// revision, or a new revision beside the others). Only a change is asked about;
// installing the same version again converges without a question.
import { CommandError, type Runner, runChecked } from './exec.ts';
import { ISTIO_NAMESPACE, istioVersionFromImage } from './istioctl.ts';
import { kubectlGetJson, parseDeployments } from './kind-kubectl.ts';

export interface ControlPlane {
  /** 'default' when istiod carries no istio.io/rev label */
  revision: string;
  deployment: string;
  version?: string;
}

/** The istiod Deployments of istio-system (none when the namespace is missing). */
export async function installedControlPlanes(run: Runner, context: string): Promise<ControlPlane[]> {
  const list = await kubectlGetJson(run, context, ['deployments', '-n', ISTIO_NAMESPACE]);
  return parseDeployments(list)
    .filter((d) => d.labels.app === 'istiod')
    .map((d) => {
      const image = d.images.find((i) => /\/pilot[:@]/.test(i)) ?? d.images[0] ?? '';
      const version = istioVersionFromImage(image);
      return {
        revision: d.labels['istio.io/rev'] ?? 'default',
        deployment: d.name,
        ...(version ? { version } : {}),
      };
    });
}

/** The version `istioctl install` installs (its client version), or undefined if it cannot say. */
export async function istioctlClientVersion(run: Runner): Promise<string | undefined> {
  try {
    const r = await runChecked(run, {
      file: 'istioctl',
      args: ['version', '--remote=false'],
      timeoutMs: 30_000,
    });
    return /(\d+\.\d+\.\d+[^\s"]*)/.exec(r.stdout)?.[1];
  } catch (e) {
    if (e instanceof CommandError) return undefined;
    throw e;
  }
}

/** Why `revision` cannot be an Istio revision name, or undefined. */
export function revisionProblem(revision: string): string | undefined {
  if (revision.includes('.'))
    return `"${revision}" is not a valid revision name: dots are not allowed (write 1-26 for 1.26)`;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(revision))
    return `"${revision}" is not a valid revision name: lower-case letters, digits and "-", e.g. 1-26 or canary`;
  if (revision === 'default') return '"default" is the revision without a name: leave --revision out for it';
  return undefined;
}

const describe = (cps: readonly ControlPlane[]) =>
  cps.map((c) => `${c.revision} (${c.version ?? 'version unknown'})`).join(', ');

/**
 * The question to ask before installing `revision` with istioctl `client`, or
 * undefined when the install changes nothing that runs (no mesh yet, or the same
 * revision at the same version).
 */
export function upgradeQuestion(
  installed: readonly ControlPlane[],
  revision: string,
  client: string | undefined,
): string | undefined {
  if (installed.length === 0) return undefined;
  const same = installed.find((c) => c.revision === revision);
  const target = client ? `Istio ${client}` : 'the Istio version of your istioctl (it did not say which)';
  if (same) {
    if (client && same.version === client) return undefined;
    return (
      `The cluster runs Istio revision "${revision}" at ${same.version ?? 'an unknown version'}; installing ${target} ` +
      `upgrades it in place (running pods keep their old proxies until they are restarted). Upgrade it?`
    );
  }
  return (
    `The cluster runs Istio ${describe(installed)}; this installs revision "${revision}" (${target}) beside it, ` +
    'a second control plane (a canary upgrade). Install it?'
  );
}
