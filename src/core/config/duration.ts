// Go durations (time.ParseDuration), the syntax Istio's CRDs accept for every
// google.protobuf.Duration field: "500ms", "3s", "0.5s", "1h30m". No "d" unit.
// Shared by the validation rules and the simulator.

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_NS = (1n << 63n) - 1n;

/**
 * Parses a Go duration into nanoseconds, exactly as time.ParseDuration does
 * (optional sign, then one or more `<number><unit>` pairs; "0" alone is allowed).
 * Returns undefined when the text is not a Go duration or overflows int64.
 */
export function parseDurationNs(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = m?.[1] ?? '';
    const fraction = m?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) return undefined;
    s = s.slice(m?.[0].length ?? 0);
    const unitMatch = /^[^\d.]+/.exec(s);
    if (!unitMatch) return undefined; // missing unit
    const unit = NS_PER_UNIT[unitMatch[0]];
    if (unit === undefined) return undefined; // unknown unit
    s = s.slice(unitMatch[0].length);
    let ns = BigInt(whole || '0') * unit;
    if (fraction) ns += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    total += ns;
    if (total > MAX_NS + (negative ? 1n : 0n)) return undefined;
  }
  return negative ? -total : total;
}

/** A Go duration in milliseconds (fractional below 1ms), or undefined if it does not parse. */
export function parseDurationMs(text: string): number | undefined {
  const ns = parseDurationNs(text);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/** Why a text is not a Go duration, in a learner's terms ("" when no specific hint applies). */
export function durationSyntaxHint(text: string): string {
  const t = text.trim();
  if (t !== text) return 'remove the spaces around it';
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) return `a unit is required, e.g. "${t}s"`;
  if (/\d\s+[a-zµμ]/i.test(t)) return 'write the number and the unit without a space, e.g. "3s"';
  if (/\d+(\.\d+)?d\b/.test(t)) return 'there is no "d" (days) unit: write hours, e.g. "24h"';
  if (/[A-Z]/.test(t)) return 'units are lowercase: ns, us, ms, s, m, h';
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)[a-zµμ]+/.test(t)) return 'the units are ns, us, ms, s, m and h';
  return '';
}
