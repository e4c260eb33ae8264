/**
 * Matching-pod counts per topology domain, kept from cycle to cycle. Spreading needs, every cycle, the
 * number of pods matching a constraint's selector on each node and in each domain, over all nodes;
 * recounting 5,000 nodes per pod is what upstream does (in parallel), and too slow here. A DomainCounts
 * remembers each node's domain and count for one question (selector, topology key, which nodes count)
 * and, on the next cycle, recounts only the nodes the snapshot refreshed since — usually the one node a
 * pod was just bound to. The answers are those of a full count; when the node list changes (nodes added
 * or removed) everything is recounted.
 */
import type { NodeInfoLister } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';

export interface DomainQuestion {
  /** The node's domain (topology value), or undefined when the node does not count. */
  domainOf(nodeInfo: NodeInfo): string | undefined;
  /** Matching pods on the node. */
  countOf(nodeInfo: NodeInfo): number;
  /** Whether to keep per-domain totals (per-node counts are always kept). */
  totals: boolean;
}

export class DomainCounts {
  private listVersion = -1;
  private generation = -1;
  private nodes: readonly NodeInfo[] = [];
  /** By snapshot slot: matching pods, or -1 when the node does not count. */
  private counts = new Int32Array(0);
  private domains: Array<string | undefined> = [];
  /** Domain → matching pods, for every domain some counted node is in (when the question keeps totals). */
  readonly totals = new Map<string, number>();
  private readonly domainNodes = new Map<string, number>();

  /** Bring the counts up to the snapshot. */
  sync(snapshot: NodeInfoLister, q: DomainQuestion): void {
    const list = snapshot.list();
    const changed = this.listVersion === snapshot.listVersion && this.nodes === list ? snapshot.changedSince(this.generation) : undefined;
    if (changed === undefined) {
      this.nodes = list;
      this.counts = new Int32Array(list.length).fill(-1);
      this.domains = new Array<string | undefined>(list.length);
      this.totals.clear();
      this.domainNodes.clear();
      for (let i = 0; i < list.length; i++) this.add(i, list[i]!, q);
    } else {
      for (const ni of changed) {
        const slot = ni.slot;
        if (slot < 0 || list[slot] !== ni) continue;
        this.remove(slot);
        this.add(slot, ni, q);
      }
    }
    this.listVersion = snapshot.listVersion;
    this.generation = snapshot.generation;
  }

  /** Matching pods on a node of the synced snapshot; undefined when the node does not count. */
  countOn(ni: NodeInfo): number | undefined {
    const slot = ni.slot;
    if (slot < 0 || this.nodes[slot] !== ni) return undefined;
    const c = this.counts[slot]!;
    return c < 0 ? undefined : c;
  }

  private add(slot: number, ni: NodeInfo, q: DomainQuestion): void {
    const domain = q.domainOf(ni);
    if (domain === undefined) return;
    const count = q.countOf(ni);
    this.counts[slot] = count;
    this.domains[slot] = domain;
    if (!q.totals) return;
    this.totals.set(domain, (this.totals.get(domain) ?? 0) + count);
    this.domainNodes.set(domain, (this.domainNodes.get(domain) ?? 0) + 1);
  }

  private remove(slot: number): void {
    const count = this.counts[slot]!;
    if (count < 0) return;
    const domain = this.domains[slot]!;
    this.counts[slot] = -1;
    this.domains[slot] = undefined;
    const nodes = this.domainNodes.get(domain);
    if (nodes === undefined) return;
    if (nodes === 1) {
      this.domainNodes.delete(domain);
      this.totals.delete(domain);
    } else {
      this.domainNodes.set(domain, nodes - 1);
      this.totals.set(domain, this.totals.get(domain)! - count);
    }
  }
}

/** A bounded set of DomainCounts by question key, least recently used dropped first. */
export class DomainCountsCache {
  private readonly entries = new Map<string, DomainCounts>();

  constructor(private readonly capacity = 256) {}

  get(key: string, snapshot: NodeInfoLister, q: DomainQuestion): DomainCounts {
    const k = q.totals ? `${key}|totals` : key;
    let dc = this.entries.get(k);
    if (dc) this.entries.delete(k);
    else {
      dc = new DomainCounts();
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(k, dc);
    dc.sync(snapshot, q);
    return dc;
  }
}
