// Failures talking to a cluster, each with a one-line message that says what went
// wrong and what to do. The CLI prints the message and exits 2; nothing here knows
// about terminals.

export type ClusterFailure =
  /** no kubeconfig anywhere kubectl would look */
  | 'no-kubeconfig'
  /** a kubeconfig that cannot be read or parsed, or lacks the context's cluster */
  | 'bad-kubeconfig'
  /** no such context, or no current-context */
  | 'no-context'
  /** connection refused, DNS failure, TLS failure */
  | 'unreachable'
  /** no answer within the request timeout */
  | 'timeout'
  /** 401: invalid or expired credentials */
  | 'unauthorized'
  /** 403 on a request the analysis cannot do without */
  | 'forbidden'
  /** networking.istio.io is not served */
  | 'crds-missing'
  /** the namespace asked for does not exist */
  | 'namespace-missing'
  /** any other answer the client cannot use (5xx, malformed JSON) */
  | 'server';

export class ClusterError extends Error {
  readonly failure: ClusterFailure;
  constructor(failure: ClusterFailure, message: string) {
    super(message);
    this.name = 'ClusterError';
    this.failure = failure;
  }
}

/** What was refused, in the words of RBAC. */
export interface Denied {
  verb: string;
  /** `virtualservices.networking.istio.io`, or `pods` for the core group */
  resource: string;
  /** undefined: cluster scope (all namespaces) */
  namespace?: string;
  /** the user the server named in its answer, when it did */
  user?: string;
}

export function deniedText(d: Denied): string {
  const scope = d.namespace ? `in namespace ${d.namespace}` : 'at cluster scope (all namespaces)';
  return `cannot ${d.verb} ${d.resource} ${scope}`;
}

export class ForbiddenError extends ClusterError {
  readonly denied: Denied;
  constructor(denied: Denied, hint?: string) {
    const who = denied.user ? ` (user "${denied.user}")` : '';
    super(
      'forbidden',
      `forbidden: ${deniedText(denied)}${who}; ${
        hint ?? 'ask for a Role (or ClusterRole) that grants it, or choose a namespace you may read with -n'
      }`,
    );
    this.name = 'ForbiddenError';
    this.denied = denied;
  }
}

export function isClusterError(e: unknown): e is ClusterError {
  return e instanceof ClusterError;
}
