// The kubeconfig a learner is handed: the instructor's cluster (server URL and CA),
// the learner's ServiceAccount token, and a context whose namespace is the learner's,
// so that `ica-trainer` and kubectl work in it without -n.
//
// A token already in the file is kept while it is still good (same ServiceAccount uid,
// not close to expiry), so that running `cohort init` again rewrites nothing.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { dump, load } from 'js-yaml';

export interface ClusterAccess {
  server: string;
  /** base64 PEM, as certificate-authority-data */
  caData?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface LearnerKubeconfig {
  cluster: string;
  context: string;
  user: string;
  namespace: string;
  token: string;
  access: ClusterAccess;
}

/** Server and CA of the instructor's current context; `server` overrides the URL. */
export function clusterAccess(kc: KubeConfig, server?: string): ClusterAccess {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  let caData = cluster.caData;
  if (!caData && cluster.caFile) caData = readFileSync(cluster.caFile).toString('base64');
  return {
    server: server ?? cluster.server,
    ...(caData ? { caData } : {}),
    ...(cluster.skipTLSVerify && !caData ? { insecureSkipTlsVerify: true } : {}),
  };
}

export function kubeconfigText(k: LearnerKubeconfig): string {
  const cluster: Record<string, unknown> = { server: k.access.server };
  if (k.access.caData) cluster['certificate-authority-data'] = k.access.caData;
  if (k.access.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.cluster, cluster }],
    users: [{ name: k.user, user: { token: k.token } }],
    contexts: [{ name: k.context, context: { cluster: k.cluster, user: k.user, namespace: k.namespace } }],
    'current-context': k.context,
  };
  return `# ica-trainer cohort kubeconfig: context ${k.context}, namespace ${k.namespace}\n${dump(doc, { lineWidth: -1, noRefs: true })}`;
}

/** The token of a kubeconfig file written by kubeconfigText, if it is one. */
export function tokenInFile(text: string): string | undefined {
  try {
    const doc = load(text) as { users?: { user?: { token?: unknown } }[] } | undefined;
    const token = doc?.users?.[0]?.user?.token;
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

export interface TokenClaims {
  /** expiry, undefined for tokens that do not expire */
  exp?: number;
  namespace?: string;
  serviceAccount?: string;
  uid?: string;
}

/** The claims of a ServiceAccount JWT (not verified: the API server does that). */
export function tokenClaims(token: string): TokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const c = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const k8s = c['kubernetes.io'] as
      | { namespace?: string; serviceaccount?: { name?: string; uid?: string } }
      | undefined;
    const out: TokenClaims = {};
    if (typeof c.exp === 'number') out.exp = c.exp;
    const ns = k8s?.namespace ?? (c['kubernetes.io/serviceaccount/namespace'] as string | undefined);
    const sa =
      k8s?.serviceaccount?.name ??
      (c['kubernetes.io/serviceaccount/service-account.name'] as string | undefined);
    const uid =
      k8s?.serviceaccount?.uid ??
      (c['kubernetes.io/serviceaccount/service-account.uid'] as string | undefined);
    if (ns) out.namespace = ns;
    if (sa) out.serviceAccount = sa;
    if (uid) out.uid = uid;
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Whether a token can be handed out again: it belongs to this very ServiceAccount (same
 * uid: a deleted and recreated account invalidates old tokens) and has at least
 * `minValidSeconds` left.
 */
export function tokenReusable(
  token: string,
  want: { namespace: string; serviceAccount: string; uid: string | undefined },
  now: Date,
  minValidSeconds: number,
): boolean {
  const c = tokenClaims(token);
  if (!c || !want.uid) return false;
  if (c.namespace !== want.namespace || c.serviceAccount !== want.serviceAccount || c.uid !== want.uid) {
    return false;
  }
  return c.exp === undefined || c.exp - now.getTime() / 1000 >= minValidSeconds;
}
