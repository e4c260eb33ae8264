/**
 * The garbage collector — pkg/controller/garbagecollector (garbagecollector.go, graph_builder.go): what
 * makes `kubectl delete deployment web` take its ReplicaSets and pods with it.
 *
 * The graph builder watches every resource that can be listed, watched and deleted (events aside) and
 * keeps the ownerReference graph (graph.ts). Two workqueues act on it:
 * - attemptToDelete: an object whose owners may all be gone. Its ownerReferences are checked against
 *   the live owners (a fresh GET each): all owners gone (dangling) → delete it, with the propagation
 *   its own finalizers ask for (background otherwise); some alive → remove only the dead references;
 *   an owner being deleted in the foreground waits for this dependent → delete it in the foreground.
 *   An object being deleted in the foreground (`foregroundDeletion` finalizer) has its dependents
 *   enqueued, and loses the finalizer once no dependent with blockOwnerDeletion remains.
 * - attemptToOrphan: an owner deleted with propagationPolicy=Orphan (`orphan` finalizer): its
 *   dependents' references to it are removed, then the finalizer.
 *
 * Failing items back off on their queue (cycles of ownerReferences included) instead of spinning.
 * Left out: metadata-only informers (full ones are shared with the other controllers instead),
 * the OwnerRefInvalidNamespace event, discovery resync of new resources (the lab's resources are fixed).
 */
import { isConflict, isNotFound } from '../../api/errors.ts';
import { KINDS, apiVersionOf, kindFor, type KindInfo } from '../../api/scheme.ts';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { DeletedFinalStateUnknown } from '../../client/cache/store.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { GroupVersionResource, KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';
import { Graph, GraphNode, type ObjectIdentity } from './graph.ts';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** Resources the collector does not watch (garbagecollector.DefaultIgnoredResources). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

function gvrOf(info: KindInfo): GroupVersionResource {
  return { group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced };
}

/** The resources the graph builder monitors: deletable, listable, watchable, stored. */
export function monitoredKinds(): KindInfo[] {
  return KINDS.filter((k) => !k.virtual && ['delete', 'list', 'watch'].every((v) => k.verbs.includes(v)) && !IGNORED.has(`${k.group}/${k.resource}`));
}

function finalizersOf(obj: KubeObject): string[] {
  return (obj.metadata?.finalizers as string[] | undefined) ?? [];
}

const NO_OWNERS: readonly OwnerReference[] = Object.freeze([]);

function ownersOf(obj: KubeObject): readonly OwnerReference[] {
  return (obj.metadata?.ownerReferences as OwnerReference[] | undefined) ?? NO_OWNERS;
}

function identityOf(obj: KubeObject, info: KindInfo): ObjectIdentity {
  return { apiVersion: apiVersionOf(info), kind: info.kind, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', uid: obj.metadata?.uid ?? '' };
}

/** The kind an ownerReference names, whatever version it was written with. */
function kindOfRef(apiVersion: string, kind: string): KindInfo | undefined {
  const exact = kindFor(apiVersion, kind);
  if (exact) return exact;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return KINDS.find((k) => k.group === group && k.kind === kind);
}

export class GarbageCollector implements Controller {
  readonly graph = new Graph();
  readonly attemptToDelete: RateLimitingQueue<GraphNode>;
  readonly attemptToOrphan: RateLimitingQueue<GraphNode>;
  private readonly informers: Array<SharedIndexInformer<KubeObject>> = [];

  constructor(private readonly ctx: ControllerContext) {
    this.attemptToDelete = new RateLimitingQueue<GraphNode>(ctx.clock, { name: 'garbage_collector_attempt_to_delete' });
    this.attemptToOrphan = new RateLimitingQueue<GraphNode>(ctx.clock, { name: 'garbage_collector_attempt_to_orphan' });
    for (const info of monitoredKinds()) {
      const informer = ctx.informers.informerFor<KubeObject>(gvrOf(info));
      informer.addEventHandler({
        onAdd: (obj) => this.observe(obj, info),
        onUpdate: (_old, obj) => this.observe(obj, info),
        onDelete: (obj) => {
          const o = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
          if (o) this.observeDelete(o.metadata?.uid ?? '');
        },
      });
      this.informers.push(informer);
    }
  }

  async run(workers: number): Promise<void> {
    for (const informer of this.informers) if (!(await informer.waitForSync())) return;
    const onError = (node: GraphNode, error: unknown) => this.ctx.handleError(new Error(`error syncing item ${node.toString()}: ${messageOf(error)}`));
    await Promise.all([runWorkers(this.attemptToDelete, workers, (n) => this.attemptToDeleteItem(n), { onError }), runWorkers(this.attemptToOrphan, 1, (n) => this.attemptToOrphanItem(n), { onError })]);
  }

  shutdown(): void {
    this.attemptToDelete.shutDown();
    this.attemptToOrphan.shutDown();
  }

  private client(info: KindInfo): ResourceClient<KubeObject> {
    return this.ctx.client.resource<KubeObject>(gvrOf(info));
  }

  // —— the graph builder ——

  private observe(obj: KubeObject, info: KindInfo): void {
    const uid = obj.metadata?.uid ?? '';
    if (!uid) return;
    const owners = ownersOf(obj);
    const beingDeleted = Boolean(obj.metadata?.deletionTimestamp);
    let node = this.graph.get(uid);
    if (!node) {
      node = new GraphNode(identityOf(obj, info), false);
      node.owners = owners;
      this.graph.add(node);
      this.addDependentToOwners(node, owners);
    } else {
      node.virtual = false;
      node.identity = identityOf(obj, info);
      const before = new Map(node.owners.map((o) => [o.uid, o]));
      const after = new Map(owners.map((o) => [o.uid, o]));
      const removed = node.owners.filter((o) => !after.has(o.uid));
      const added = owners.filter((o) => !before.has(o.uid));
      node.owners = owners;
      for (const ref of removed) {
        const owner = this.graph.get(ref.uid);
        owner?.removeDependent(node);
        if (owner?.deletingDependents) this.attemptToDelete.add(owner);
      }
      this.addDependentToOwners(node, added);
    }
    node.beingDeleted = beingDeleted;
    const finalizers = finalizersOf(obj);
    if (beingDeleted && finalizers.includes(FINALIZER_ORPHAN)) this.attemptToOrphan.add(node);
    if (beingDeleted && finalizers.includes(FINALIZER_FOREGROUND)) {
      node.deletingDependents = true;
      for (const dependent of node.dependents) this.attemptToDelete.add(dependent);
      this.attemptToDelete.add(node);
    }
  }

  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      if (!owner) {
        const info = kindOfRef(ref.apiVersion, ref.kind);
        const namespace = info && !info.namespaced ? '' : node.identity.namespace;
        owner = new GraphNode({ apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid }, true);
        this.graph.add(owner);
        // Does this owner exist? attemptToDelete on a virtual node finds out.
        this.attemptToDelete.add(owner);
      }
      owner.addDependent(node);
    }
  }

  /** An object is gone (its delete event, or a virtual owner found absent). */
  private observeDelete(uid: string): void {
    const node = this.graph.get(uid);
    if (!node) return;
    this.graph.remove(node);
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (!owner) continue;
      owner.removeDependent(node);
      if (owner.deletingDependents) this.attemptToDelete.add(owner);
    }
    // Their owner is gone: each may now be garbage.
    for (const dependent of node.dependents) this.attemptToDelete.add(dependent);
  }

  // —— attemptToDelete ——

  /** The live object a node stands for, or undefined when absent or re-created with another UID. */
  private async getLive(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const info = kindOfRef(identity.apiVersion, identity.kind);
    if (!info) return undefined;
    try {
      const live = await this.client(info).get(info.namespaced ? identity.namespace : '', identity.name);
      return live.metadata?.uid === identity.uid ? live : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async attemptToDeleteItem(node: GraphNode): Promise<void> {
    if (this.graph.get(node.identity.uid) !== node) return;
    const latest = await this.getLive(node.identity);
    if (!latest) {
      // Absent (or a different object now): as if its delete event came.
      this.observeDelete(node.identity.uid);
      return;
    }
    if (node.virtual) {
      // It exists: its informer will bring it. Nothing to collect.
      return;
    }
    const info = kindOfRef(node.identity.apiVersion, node.identity.kind)!;
    if (node.deletingDependents) {
      await this.processDeletingDependents(node, latest, info);
      return;
    }
    if (latest.metadata?.deletionTimestamp) return;
    const owners = ownersOf(latest);
    if (owners.length === 0) return;

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of owners) {
      const refInfo = kindOfRef(ref.apiVersion, ref.kind);
      const owner = refInfo ? await this.getLive({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: refInfo.namespaced ? node.identity.namespace : '', name: ref.name, uid: ref.uid }) : undefined;
      if (!owner) dangling.push(ref);
      else if (owner.metadata?.deletionTimestamp && finalizersOf(owner).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    const namespace = info.namespaced ? node.identity.namespace : '';
    if (solid.length > 0) {
      const dead = [...dangling, ...waiting];
      if (dead.length === 0) return;
      await this.client(info).patch(namespace, node.identity.name, 'strategic', { metadata: { ownerReferences: dead.map((r) => ({ $patch: 'delete', uid: r.uid })), uid: node.identity.uid } });
      return;
    }
    if (waiting.length > 0 && node.dependents.size > 0) {
      // Our own dependents must go first: delete in the foreground, so the waiting owner keeps waiting
      // for us. Only when a dependent is itself waiting on its dependents (a possible cycle, as
      // upstream's detection guesses) are the references to the waiting owners made non-blocking.
      if ([...node.dependents].some((d) => d.deletingDependents)) {
        const unblocked = owners.map((r) => (waiting.some((w) => w.uid === r.uid) ? { ...r, blockOwnerDeletion: false } : r));
        await this.client(info).patch(namespace, node.identity.name, 'merge', { metadata: { ownerReferences: unblocked, uid: node.identity.uid } });
      }
      await this.deleteObject(info, node, 'Foreground');
      return;
    }
    // No solid owner, and none waiting on our dependents: the propagation our own finalizers ask for.
    const finalizers = finalizersOf(latest);
    const policy = finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
    await this.deleteObject(info, node, policy);
  }

  private async deleteObject(info: KindInfo, node: GraphNode, propagationPolicy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    try {
      await this.client(info).delete(info.namespaced ? node.identity.namespace : '', node.identity.name, { propagationPolicy, preconditions: { uid: node.identity.uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async processDeletingDependents(node: GraphNode, latest: KubeObject, info: KindInfo): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(info, latest, FINALIZER_FOREGROUND);
      return;
    }
    for (const dependent of blocking) if (!dependent.beingDeleted) this.attemptToDelete.add(dependent);
  }

  private async removeFinalizer(info: KindInfo, obj: KubeObject, finalizer: string): Promise<void> {
    const namespace = info.namespaced ? (obj.metadata?.namespace ?? '') : '';
    const name = obj.metadata?.name ?? '';
    let current = obj;
    for (let attempt = 0; ; attempt++) {
      const finalizers = finalizersOf(current);
      if (!finalizers.includes(finalizer)) return;
      try {
        await this.client(info).patch(namespace, name, 'merge', { metadata: { finalizers: finalizers.filter((f) => f !== finalizer), resourceVersion: current.metadata?.resourceVersion } });
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error) || attempt >= 4) throw error;
        current = await this.client(info).get(namespace, name);
      }
    }
  }

  // —— attemptToOrphan ——

  async attemptToOrphanItem(owner: GraphNode): Promise<void> {
    const latest = await this.getLive(owner.identity);
    if (!latest) return;
    for (const dependent of [...owner.dependents]) {
      const info = kindOfRef(dependent.identity.apiVersion, dependent.identity.kind);
      if (!info) continue;
      try {
        await this.client(info).patch(info.namespaced ? dependent.identity.namespace : '', dependent.identity.name, 'strategic', {
          metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.identity.uid }], uid: dependent.identity.uid },
        });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    await this.removeFinalizer(kindOfRef(owner.identity.apiVersion, owner.identity.kind)!, latest, FINALIZER_ORPHAN);
  }
}

export const garbageCollectorControllerDescriptor: ControllerDescriptor = {
  name: 'garbage-collector-controller',
  workers: 20,
  init: (ctx) => new GarbageCollector(ctx),
};
