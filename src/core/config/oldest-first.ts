// istiod breaks ties between resources that apply equally (several PeerAuthentications at
// one level, several Sidecars for one workload) by age: the oldest wins. Objects read from a
// cluster carry creationTimestamp; files usually do not, and then input order stands in.

/** Oldest first: by creationTimestamp where both have it, else the order of the inputs. */
export function oldestFirst<T extends { raw: Record<string, unknown> }>(list: readonly T[]): T[] {
  const stamp = (r: T) => {
    const t = (r.raw.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp;
    return typeof t === 'string' ? Date.parse(t) : Number.NaN;
  };
  return list
    .map((r, i) => ({ r, i, t: stamp(r) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i))
    .map((x) => x.r);
}
