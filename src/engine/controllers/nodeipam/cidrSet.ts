/**
 * CidrSet — pkg/controller/nodeipam/ipam/cidrset/cidr_set.go (Kubernetes 1.32): the blocks of one
 * cluster CIDR (--cluster-cidr) cut into node-sized subnets (--node-cidr-mask-size), with a bit per
 * block saying whether it is used.
 *
 * `allocateNext` hands out the first unused block at or after the candidate cursor, wrapping around,
 * and moves the cursor past it: a released block is handed out again only once the cursor has come
 * round to it. `occupy` and `release` mark every block a CIDR covers (a CIDR wider than a block covers
 * several, a narrower one the block it lies in) — `occupy` does not check whether they were used.
 *
 * Left out: IPv6 (dual-stack clusters) and the allocation metrics.
 */

/** ErrCIDRRangeNoCIDRsRemaining. */
export const ERR_NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

/** A parsed IPv4 CIDR: its network address as a number, and its prefix length. */
export interface Ipv4Net {
  ip: number;
  prefix: number;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The size of a block of prefix length `prefix`. */
function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** netutils.ParseCIDRSloppy for IPv4: the network (host bits cleared) and prefix; throws `invalid CIDR address: …`. */
export function parseIpv4Cidr(cidr: string): Ipv4Net {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((p) => Number(p) > 255) || Number(m[5]) > 32) throw new Error(`invalid CIDR address: ${cidr}`);
  const prefix = Number(m[5]);
  const size = blockSize(prefix);
  return { ip: Math.floor(ipToInt(m.slice(1, 5).join('.')) / size) * size, prefix };
}

/** net.IPNet.String(). */
export function formatIpv4Cidr(net: Ipv4Net): string {
  return `${intToIp(net.ip)}/${net.prefix}`;
}

export class CidrSet {
  private readonly cluster: Ipv4Net;
  private readonly maxCIDRs: number;
  private nextCandidate = 0;
  private readonly used: boolean[];

  constructor(
    clusterCIDR: string,
    /** The node CIDRs' prefix length. */
    readonly subNetMaskSize: number,
  ) {
    this.cluster = parseIpv4Cidr(clusterCIDR);
    if (subNetMaskSize < this.cluster.prefix || subNetMaskSize > 32) throw new Error('New CIDR set failed; the node CIDR size is too big');
    this.maxCIDRs = 2 ** (subNetMaskSize - this.cluster.prefix);
    this.used = new Array<boolean>(this.maxCIDRs).fill(false);
  }

  private indexToCIDRBlock(index: number): string {
    return formatIpv4Cidr({ ip: this.cluster.ip + index * blockSize(this.subNetMaskSize), prefix: this.subNetMaskSize });
  }

  /** AllocateNext: the next free block, now used; throws ErrCIDRRangeNoCIDRsRemaining when none is. */
  allocateNext(): string {
    let nextUnused = -1;
    for (let i = 0; i < this.maxCIDRs; i++) {
      const candidate = (i + this.nextCandidate) % this.maxCIDRs;
      if (!this.used[candidate]) {
        nextUnused = candidate;
        break;
      }
    }
    if (nextUnused === -1) throw new Error(ERR_NO_CIDRS_REMAINING);
    this.nextCandidate = (nextUnused + 1) % this.maxCIDRs;
    this.used[nextUnused] = true;
    return this.indexToCIDRBlock(nextUnused);
  }

  /** Occupy: mark every block `cidr` covers used. */
  occupy(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    for (let i = begin; i <= end; i++) this.used[i] = true;
  }

  /** Release: mark every block `cidr` covers free. */
  release(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    for (let i = begin; i <= end; i++) this.used[i] = false;
  }

  /** getBeginingAndEndIndices: the first and last block `cidr` overlaps. */
  private indices(cidr: string): [number, number] {
    const net = parseIpv4Cidr(cidr);
    const contains = (outer: Ipv4Net, ip: number) => Math.floor(ip / blockSize(outer.prefix)) * blockSize(outer.prefix) === outer.ip;
    if (!contains(this.cluster, net.ip) && !contains(net, this.cluster.ip)) throw new Error(`cidr ${formatIpv4Cidr(net)} is out the range of cluster cidr ${formatIpv4Cidr(this.cluster)}`);
    if (this.cluster.prefix >= net.prefix) return [0, this.maxCIDRs - 1];
    const block = blockSize(this.subNetMaskSize);
    const index = (ip: number) => Math.floor((ip - this.cluster.ip) / block);
    return [index(net.ip), index(net.ip + blockSize(net.prefix) - 1)];
  }
}
