// `describe pod --live`: the trainer's prediction beside `istioctl x describe pod`.
// The two texts are compared by the facts both state the same way, not line by
// line (pod names carry hashes, addresses are the model's): the Services, the
// DestinationRule and its matching subsets, the VirtualServices, the RBAC policy
// names, the effective mTLS mode (and per port) and the PeerAuthentications applied.

/** The comparable facts of an `istioctl x describe pod` text, one string each. */
export function describeFacts(text: string): string[] | undefined {
  const lines = text.split('\n');
  if (!lines.some((l) => l.startsWith('Pod: '))) return undefined;
  const facts: string[] = [];
  lines.forEach((line, i) => {
    // a Service with several ports prefixes its RBAC line with the port
    const l = line.replace(/^\d+ (?=RBAC policies:)/, '');
    let m: RegExpExecArray | null;
    if ((m = /^Service: (\S+)/.exec(l))) facts.push(`Service ${m[1]}`);
    else if ((m = /^DestinationRule: (\S+) for "([^"]*)"/.exec(l))) facts.push(`DestinationRule ${m[1]}`);
    else if ((m = /^ {3}Matching subsets: ?(.*)$/.exec(l)))
      facts.push(`matching subsets ${m[1]!.split(',').filter(Boolean).sort().join(',') || '(none)'}`);
    else if ((m = /^ {3}Traffic Policy TLS Mode: (\S+)/.exec(l)))
      facts.push(`DestinationRule TLS mode ${m[1]}`);
    else if ((m = /^VirtualService: (\S+)$/.exec(l)) && !lines[i - 1]?.startsWith('Exposed on'))
      facts.push(`VirtualService ${m[1]}`);
    else if ((m = /^RBAC policies: (.*)$/.exec(l)))
      facts.push(`RBAC policies ${m[1]!.split(', ').sort().join(', ')}`);
    else if ((m = /^ {3}Workload mTLS mode: (\S+)/.exec(l))) facts.push(`mTLS mode ${m[1]}`);
    else if (
      (m = /^ {6}(\d+): (\S+)$/.exec(l)) &&
      lines.slice(0, i).some((x) => x.includes('Port Level mTLS mode'))
    )
      facts.push(`mTLS mode on port ${m[1]} ${m[2]}`);
    else if (l === 'Applied PeerAuthentication:' && lines[i + 1])
      facts.push(`PeerAuthentication ${lines[i + 1]!.trim().split(', ').sort().join(', ')}`);
  });
  return [...new Set(facts)].sort();
}

export interface DescribeComparison {
  agree: boolean;
  onlyPredicted: string[];
  onlyCluster: string[];
}

/** Compares the facts of the prediction and of istioctl's answer, or undefined when istioctl's text has no Pod line. */
export function compareDescribe(predicted: string, cluster: string): DescribeComparison | undefined {
  const want = describeFacts(predicted) ?? [];
  const got = describeFacts(cluster);
  if (!got) return undefined;
  const onlyPredicted = want.filter((f) => !got.includes(f));
  const onlyCluster = got.filter((f) => !want.includes(f));
  return { agree: onlyPredicted.length === 0 && onlyCluster.length === 0, onlyPredicted, onlyCluster };
}
