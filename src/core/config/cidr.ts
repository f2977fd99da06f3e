// IPv4 addresses against CIDR blocks (`10.0.0.0/8`) or single addresses, as
// AuthorizationPolicy ipBlocks and source.ip/remote.ip conditions compare them.
// IPv6 values never match an IPv4 address (the simulator's addresses are IPv4).

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Is `ip` inside `block` (`a.b.c.d` or `a.b.c.d/len`)? */
export function inCidr(block: string, ip: string | undefined): boolean {
  if (ip === undefined) return false;
  const addr = ipv4(ip);
  const [base, len] = block.trim().split('/');
  const net = ipv4(base ?? '');
  if (addr === undefined || net === undefined) return false;
  const bits = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  if (bits === 0) return true;
  const size = 2 ** (32 - bits);
  return Math.floor(addr / size) === Math.floor(net / size);
}
