/**
 * The resource quota controller — pkg/controller/resourcequota: keeps each ResourceQuota's
 * `status.hard` (its spec) and `status.used` (what the namespace holds now, by the quota evaluators in
 * api/quota/usage.ts) true. A quota is recalculated when it changes, when an object it counts is
 * added, changed or deleted in its namespace (replenishment — a pod finishing frees its compute), and
 * every 5 minutes (--resource-quota-sync-period). `kubectl describe quota` reads what it writes.
 * Left out: scopes and scope selectors (as in the admission plugin).
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { quotaUsageOf } from '../../api/quota/usage.ts';
import { newQuantity, type Quantity } from '../../api/resource/quantity.ts';
import { KINDS, type KindInfo } from '../../api/scheme.ts';
import type { Timer } from '../../base/clock.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

export const RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60_000;

type QuotaObject = ResourceQuota & KubeObject;

/** The kinds whose objects quotas count: every namespaced kind that is stored (count/<resource>.<group>). */
function countedKinds(): KindInfo[] {
  return KINDS.filter((k) => k.namespaced && !k.virtual && k.verbs.includes('list') && k.verbs.includes('watch') && k.resource !== 'events');
}

export class ResourceQuotaController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly quotaInformer: SharedIndexInformer<QuotaObject>;
  private readonly counted: Array<{ info: KindInfo; informer: SharedIndexInformer<KubeObject> }> = [];
  private timer: Timer | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'resourcequota_primary' });
    this.quotaInformer = ctx.informers.informerFor<QuotaObject>(RESOURCES.resourcequotas);
    const enqueue = (q: QuotaObject) => this.queue.add(metaNamespaceKeyFunc(q));
    this.quotaInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, q) => enqueue(q) });
    for (const info of countedKinds()) {
      if (info.resource === 'resourcequotas') continue;
      const informer = ctx.informers.informerFor<KubeObject>({ group: info.group, version: info.version, resource: info.resource, namespaced: true });
      const replenish = (obj: KubeObject | DeletedFinalStateUnknown<KubeObject>) => {
        const o = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (o) this.enqueueNamespace(o.metadata?.namespace ?? '');
      };
      informer.addEventHandler({ onAdd: replenish, onUpdate: (_o, n) => replenish(n), onDelete: replenish });
      this.counted.push({ info, informer });
    }
  }

  async run(workers: number): Promise<void> {
    if (!(await this.quotaInformer.waitForSync())) return;
    for (const { informer } of this.counted) if (!(await informer.waitForSync())) return;
    this.timer = this.ctx.clock.every(RESOURCE_QUOTA_SYNC_PERIOD_MS, () => {
      for (const q of this.quotaInformer.getStore().list()) this.queue.add(metaNamespaceKeyFunc(q));
    }, 'resource quota resync');
    await runWorkers(this.queue, workers, (key) => this.syncResourceQuota(key), { onError: (key, error) => this.ctx.handleError(new Error(`error syncing ${key}: ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.timer?.cancel();
    this.queue.shutDown();
  }

  private enqueueNamespace(namespace: string): void {
    for (const q of this.quotaInformer.lister().byNamespace(namespace).list()) this.queue.add(metaNamespaceKeyFunc(q));
  }

  async syncResourceQuota(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const quota = this.quotaInformer.lister().byNamespace(namespace).get(name);
    if (!quota) return;
    const hard = quota.spec?.hard ?? {};
    const names = Object.keys(hard);
    const used = new Map<string, Quantity>(names.map((r) => [r, newQuantity(0, 'DecimalSI')]));
    const all: Array<{ info: KindInfo; objects: KubeObject[] }> = [
      ...this.counted.map(({ info, informer }) => ({ info, objects: informer.lister().byNamespace(namespace).list() })),
      { info: KINDS.find((k) => k.resource === 'resourcequotas' && k.group === '')!, objects: this.quotaInformer.lister().byNamespace(namespace).list() },
    ];
    for (const { info, objects } of all) {
      for (const obj of objects) {
        for (const [r, q] of quotaUsageOf(info, obj)) {
          const before = used.get(r);
          if (before) used.set(r, before.add(q));
        }
      }
    }
    const sorted = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
    const status = { hard: sorted({ ...hard } as Record<string, string>), used: sorted(Object.fromEntries([...used].map(([r, q]) => [r, q.toString()]))) };
    if (JSON.stringify(quota.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.ctx.client.resource<QuotaObject>(RESOURCES.resourcequotas).updateStatus(namespace, { ...quota, status });
    } catch (error) {
      if (isNotFound(error)) return;
      if (isConflict(error)) {
        this.queue.add(key);
        return;
      }
      throw error;
    }
  }
}

export const resourceQuotaControllerDescriptor: ControllerDescriptor = {
  name: 'resourcequota-controller',
  workers: 5,
  init: (ctx) => new ResourceQuotaController(ctx),
};
