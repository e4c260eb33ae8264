/**
 * The namespace controller — pkg/controller/namespace (namespace_controller.go and
 * deletion/namespaced_resources_deleter.go): what happens after `kubectl delete namespace dev`. The
 * apiserver only marks the namespace Terminating; this controller deletes everything in it, resource by
 * resource, reports progress in the namespace's status conditions (NamespaceContentRemaining: `Some
 * resources are remaining: pods. has 2 resource instances`, …), waits for what is still going away
 * (pods in their grace period, objects held by finalizers), and finally removes the `kubernetes`
 * finalizer through the `finalize` subresource, after which the apiserver deletes the namespace.
 * Left out: discovery failures (the lab's resources are fixed), deletecollection (one DELETE per object).
 */
import type { Namespace, NamespaceCondition } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { KINDS, type KindInfo } from '../../api/scheme.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { resourcePath, type KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

type NamespaceObject = Namespace & KubeObject;

/** The finalizer the apiserver puts on every namespace (v1.FinalizerKubernetes). */
export const FINALIZER_KUBERNETES = 'kubernetes';

/** The kinds whose objects live in namespaces and can be deleted. */
function namespacedKinds(): KindInfo[] {
  return KINDS.filter((k) => k.namespaced && !k.virtual && k.verbs.includes('delete') && k.verbs.includes('list'));
}

/** metav1's GroupResource.String(): `pods.` for the core group, `deployments.apps` otherwise. */
function groupResource(info: KindInfo): string {
  return `${info.resource}.${info.group}`;
}

/** Thrown while content remains; the namespace is looked at again after `estimateSeconds`. */
class ResourcesRemainingError extends Error {
  constructor(readonly estimateSeconds: number) {
    super(`some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`);
  }
}

export class NamespaceController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly informer: SharedIndexInformer<NamespaceObject>;
  private readonly lister: Lister<NamespaceObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'namespace' });
    this.informer = ctx.informers.informerFor<NamespaceObject>(RESOURCES.namespaces);
    this.lister = this.informer.lister();
    const enqueue = (ns: NamespaceObject) => {
      if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.informer.waitForSync())) return;
    await runWorkers(
      this.queue,
      workers,
      async (name) => {
        try {
          await this.syncNamespace(name);
        } catch (error) {
          if (!(error instanceof ResourcesRemainingError)) throw error;
          // Expected while content drains: look again later, without counting it as a failure.
          this.queue.addAfter(name, error.estimateSeconds * 1000);
        }
      },
      { onError: (name, error) => this.ctx.handleError(new Error(`deletion of namespace ${name} failed: ${messageOf(error)}`)) },
    );
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncNamespace(name: string): Promise<void> {
    const cached = this.lister.get(name);
    if (!cached?.metadata?.deletionTimestamp) return;
    const namespaces = this.ctx.client.resource<NamespaceObject>(RESOURCES.namespaces);
    let ns: NamespaceObject;
    try {
      ns = await namespaces.get('', name);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (!ns.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;

    const { remaining, withFinalizers, estimate } = await this.deleteAllContent(name);
    await this.updateConditions(ns, remaining, withFinalizers);
    if (remaining.length > 0 || withFinalizers.length > 0) throw new ResourcesRemainingError(Math.max(estimate, 1));
    await this.finalize(name);
  }

  private async deleteAllContent(namespace: string): Promise<{ remaining: string[]; withFinalizers: string[]; estimate: number }> {
    const remaining: string[] = [];
    const withFinalizers: string[] = [];
    let estimate = 0;
    const now = this.ctx.clock.now();
    for (const info of namespacedKinds()) {
      const client = this.ctx.client.resource<KubeObject>({ group: info.group, version: info.version, resource: info.resource, namespaced: true });
      const list = await client.list(namespace);
      for (const obj of list.items) {
        if (!obj.metadata?.deletionTimestamp) {
          try {
            await client.delete(namespace, obj.metadata?.name ?? '', { propagationPolicy: 'Background' });
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        }
      }
      const after = (await client.list(namespace)).items;
      if (after.length === 0) continue;
      remaining.push(`${groupResource(info)} has ${after.length} resource instances`);
      const finalized = after.filter((o) => ((o.metadata?.finalizers as string[] | undefined) ?? []).length > 0);
      if (finalized.length) withFinalizers.push(`${groupResource(info)} in ${finalized.length} resource instances`);
      for (const obj of after) {
        const deadline = obj.metadata?.deletionTimestamp ? Date.parse(String(obj.metadata.deletionTimestamp)) : now;
        estimate = Math.max(estimate, Math.ceil((deadline - now) / 1000));
      }
    }
    return { remaining, withFinalizers, estimate };
  }

  private async updateConditions(ns: NamespaceObject, remaining: string[], withFinalizers: string[]): Promise<void> {
    const now = rfc3339(this.ctx.clock.now());
    const wanted: Array<Omit<NamespaceCondition, 'lastTransitionTime'>> = [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
      remaining.length
        ? { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.join(', ')}` }
        : { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
      withFinalizers.length
        ? { type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${withFinalizers.join(', ')}` }
        : { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
    ];
    const old = ns.status?.conditions ?? [];
    const conditions = wanted.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
    });
    if (JSON.stringify(conditions) === JSON.stringify(old)) return;
    try {
      await this.ctx.client.resource<NamespaceObject>(RESOURCES.namespaces).updateStatus('', { ...ns, status: { ...ns.status, conditions } });
    } catch (error) {
      if (!isConflict(error) && !isNotFound(error)) throw error;
    }
  }

  private async finalize(name: string): Promise<void> {
    const namespaces = this.ctx.client.resource<NamespaceObject>(RESOURCES.namespaces);
    const ns = await namespaces.get('', name);
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
    const body: NamespaceObject = { ...ns, spec: { ...ns.spec, finalizers } };
    try {
      await this.ctx.client.raw('PUT', resourcePath(RESOURCES.namespaces, '', name, 'finalize'), {}, JSON.stringify(body));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export const namespaceControllerDescriptor: ControllerDescriptor = {
  name: 'namespace-controller',
  workers: 10,
  init: (ctx) => new NamespaceController(ctx),
};
