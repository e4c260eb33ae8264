/**
 * The garbage collector's dependency graph — pkg/controller/garbagecollector/graph.go: one node per
 * object that owns or is owned, keyed by UID, with edges from each owner to its dependents. A node for
 * an owner the collector has only heard of through a dependent's ownerReference is *virtual* until its
 * informer (or a lookup) confirms it exists.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

const NO_DEPENDENTS: ReadonlySet<GraphNode> = new Set();

export class GraphNode {
  /** Made on the first dependent: most objects (pods) have none, and a big cluster has many of them. */
  private dependentSet: Set<GraphNode> | undefined;
  owners: readonly OwnerReference[] = [];
  /** Being deleted in the foreground: waits for its blocking dependents. */
  deletingDependents = false;
  /** Has a deletionTimestamp. */
  beingDeleted = false;
  /** Known only through a dependent's ownerReference. */
  virtual: boolean;

  constructor(
    public identity: ObjectIdentity,
    virtual: boolean,
  ) {
    this.virtual = virtual;
  }

  /** The objects whose ownerReferences name this one. */
  get dependents(): ReadonlySet<GraphNode> {
    return this.dependentSet ?? NO_DEPENDENTS;
  }

  addDependent(node: GraphNode): void {
    (this.dependentSet ??= new Set()).add(node);
  }

  removeDependent(node: GraphNode): void {
    this.dependentSet?.delete(node);
    if (this.dependentSet?.size === 0) this.dependentSet = undefined;
  }

  /** Dependents whose ownerReference to this node has blockOwnerDeletion: true. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }

  toString(): string {
    const i = this.identity;
    return `[${i.apiVersion}/${i.kind}, namespace: ${i.namespace}, name: ${i.name}, uid: ${i.uid}]`;
  }
}

export class Graph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  add(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  remove(node: GraphNode): void {
    this.nodes.delete(node.identity.uid);
  }

  get size(): number {
    return this.nodes.size;
  }
}
