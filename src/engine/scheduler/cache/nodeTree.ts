/**
 * nodeTree (pkg/scheduler/backend/cache/node_tree.go): node names grouped by zone, and listed by taking
 * one node from each zone in turn, so that the first nodes a cycle looks at spread over zones. The zone
 * key is region and zone joined (utilnode.GetZoneKey); nodes with neither share the "" zone.
 */
import type { Node } from 'kubernetes-types/core/v1';

export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
const LABEL_FAILURE_DOMAIN_BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const LABEL_FAILURE_DOMAIN_BETA_REGION = 'failure-domain.beta.kubernetes.io/region';

/** utilnode.GetZoneKey. */
export function zoneKey(node: Node): string {
  const labels = node.metadata?.labels ?? {};
  const zone = labels[LABEL_TOPOLOGY_ZONE] ?? labels[LABEL_FAILURE_DOMAIN_BETA_ZONE] ?? '';
  const region = labels[LABEL_TOPOLOGY_REGION] ?? labels[LABEL_FAILURE_DOMAIN_BETA_REGION] ?? '';
  if (zone === '' && region === '') return '';
  return `${region}:\x00:${zone}`;
}

export class NodeTree {
  private readonly tree = new Map<string, string[]>();
  private zones: string[] = [];
  numNodes = 0;

  addNode(node: Node): void {
    const zone = zoneKey(node);
    const name = node.metadata?.name ?? '';
    const names = this.tree.get(zone);
    if (names) {
      if (names.includes(name)) return;
      names.push(name);
    } else {
      this.zones.push(zone);
      this.tree.set(zone, [name]);
    }
    this.numNodes++;
  }

  removeNode(node: Node): void {
    const zone = zoneKey(node);
    const names = this.tree.get(zone);
    const name = node.metadata?.name ?? '';
    const i = names?.indexOf(name) ?? -1;
    if (!names || i < 0) return;
    names.splice(i, 1);
    if (names.length === 0) {
      this.tree.delete(zone);
      this.zones = this.zones.filter((z) => z !== zone);
    }
    this.numNodes--;
  }

  updateNode(oldNode: Node, newNode: Node): void {
    if (zoneKey(oldNode) === zoneKey(newNode)) return;
    this.removeNode(oldNode);
    this.addNode(newNode);
  }

  /** The node names, one zone after another in turn. */
  list(): string[] {
    const out: string[] = [];
    if (this.zones.length === 0) return out;
    const lists = this.zones.map((z) => this.tree.get(z)!);
    for (let i = 0; out.length < this.numNodes; i++) {
      for (const names of lists) if (i < names.length) out.push(names[i]!);
    }
    return out;
  }
}
