/**
 * The ClusterRole aggregation controller — pkg/controller/clusterroleaggregation: a ClusterRole with an
 * aggregationRule (admin, edit, view, or a student's own) gets as its rules the union of the rules of
 * every other ClusterRole its selectors pick, in name order, duplicates dropped. Adding a role labelled
 * `rbac.authorization.k8s.io/aggregate-to-edit: "true"` grows edit (and, through it, admin).
 */
import type { ClusterRole, PolicyRule } from 'kubernetes-types/rbac/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { canonicalJson } from '../hash.ts';
import { messageOf } from '../podControl.ts';

type ClusterRoleObject = ClusterRole & KubeObject;

/** The aggregated rules of `role` among `all` (upstream's ordering and de-duplication). */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  const byName = [...all].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const sel = labelSelectorAsSelector(selector);
    for (const other of byName) {
      if (other.metadata?.name === role.metadata?.name || !sel.matches(other.metadata?.labels ?? {})) continue;
      for (const rule of other.rules ?? []) {
        const key = canonicalJson(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
      }
    }
  }
  return rules;
}

export class ClusterRoleAggregationController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly informer: SharedIndexInformer<ClusterRoleObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'ClusterRoleAggregator' });
    this.informer = ctx.informers.informerFor<ClusterRoleObject>(RESOURCES.clusterroles);
    // Any change to any role may change what an aggregated role should hold: enqueue every aggregator.
    const enqueueAll = () => {
      for (const role of this.informer.getStore().list()) if (role.aggregationRule) this.queue.add(role.metadata?.name ?? '');
    };
    this.informer.addEventHandler({ onAdd: enqueueAll, onUpdate: enqueueAll, onDelete: enqueueAll });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (name) => this.syncClusterRole(name), { onError: (name, error) => this.ctx.handleError(new Error(`error syncing ClusterRole ${name}: ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncClusterRole(name: string): Promise<void> {
    const role = this.informer.lister().get(name);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, this.informer.getStore().list());
    if (canonicalJson(rules) === canonicalJson(role.rules ?? [])) return;
    try {
      await this.ctx.client.resource<ClusterRoleObject>(RESOURCES.clusterroles).update('', { ...role, rules });
    } catch (error) {
      if (isNotFound(error)) return;
      if (isConflict(error)) {
        this.queue.addRateLimited(name);
        return;
      }
      throw error;
    }
  }
}

export const clusterRoleAggregationControllerDescriptor: ControllerDescriptor = {
  name: 'clusterrole-aggregation-controller',
  workers: 5,
  init: (ctx) => new ClusterRoleAggregationController(ctx),
};
