// How the commands that name a workload read it: kubectl's `deploy/NAME` and `pod/NAME`
// prefixes are accepted (proxy-config, describe and simulate --from alike).
export const KIND_PREFIX = /^(deploy|deployment|deployments|pod|pods|po)\//i;

/** `deploy/reviews-v2` -> `reviews-v2`; anything else unchanged. */
export function withoutKindPrefix(ref: string): string {
  return ref.trim().replace(KIND_PREFIX, '');
}
