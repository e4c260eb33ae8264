/**
 * The ServiceAccounts controller — pkg/controller/serviceaccount/serviceaccounts_controller.go: every
 * active namespace has a ServiceAccount named `default`. It syncs a namespace when the namespace
 * appears or changes and when one of the managed accounts is deleted, and creates what is missing.
 * Namespaces being deleted are left alone. Left out: the token controller (1.24+ clusters mint tokens
 * through the TokenRequest API instead of Secrets).
 */
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1';
import { isAlreadyExists } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { DeletedFinalStateUnknown } from '../../client/cache/store.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

/** The accounts every namespace gets (DefaultServiceAccountsControllerOptions). */
export const MANAGED_SERVICE_ACCOUNTS = ['default'] as const;

type NamespaceObject = Namespace & KubeObject;
type ServiceAccountObject = ServiceAccount & KubeObject;

export class ServiceAccountsController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly nsInformer: SharedIndexInformer<NamespaceObject>;
  private readonly saInformer: SharedIndexInformer<ServiceAccountObject>;
  private readonly nsLister: Lister<NamespaceObject>;
  private readonly saLister: Lister<ServiceAccountObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'serviceaccount' });
    this.nsInformer = ctx.informers.informerFor<NamespaceObject>(RESOURCES.namespaces);
    this.saInformer = ctx.informers.informerFor<ServiceAccountObject>(RESOURCES.serviceaccounts);
    this.nsLister = this.nsInformer.lister();
    this.saLister = this.saInformer.lister();
    const enqueueNamespace = (ns: NamespaceObject) => this.queue.add(ns.metadata?.name ?? '');
    this.nsInformer.addEventHandler({ onAdd: enqueueNamespace, onUpdate: (_old, ns) => enqueueNamespace(ns) });
    this.saInformer.addEventHandler({
      onDelete: (obj) => {
        const sa = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (sa && (MANAGED_SERVICE_ACCOUNTS as readonly string[]).includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata?.namespace ?? '');
      },
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.nsInformer.waitForSync()) || !(await this.saInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNamespace(key), { onError: (key, error) => this.ctx.handleError(new Error(`${key} failed with : ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncNamespace(name: string): Promise<void> {
    const ns = this.nsLister.get(name);
    if (!ns || ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) return;
    const accounts = this.ctx.client.resource<ServiceAccountObject>(RESOURCES.serviceaccounts);
    for (const sa of MANAGED_SERVICE_ACCOUNTS) {
      if (this.saLister.byNamespace(name).get(sa)) continue;
      try {
        await accounts.create(name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
  }
}

export const serviceAccountsControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount-controller',
  workers: 1,
  init: (ctx) => new ServiceAccountsController(ctx),
};
