/**
 * DefaultBinder (pkg/scheduler/framework/plugins/defaultbinder): bind through the API —
 * POST /api/v1/namespaces/{ns}/pods/{name}/binding with a Binding whose target is the node. The
 * apiserver sets spec.nodeName and the PodScheduled condition.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { resourcePath } from '../../../client/rest/restClient.ts';
import { RESOURCES } from '../../../client/resources.ts';
import type { CycleState } from '../../framework/cycleState.ts';
import { Status, type BindPlugin, type Handle } from '../../framework/interface.ts';

export class DefaultBinder implements BindPlugin {
  static readonly NAME = 'DefaultBinder';
  readonly name = DefaultBinder.NAME;

  constructor(private readonly handle: Handle) {}

  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status | null> {
    const meta = pod.metadata ?? {};
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { namespace: meta.namespace, name: meta.name, uid: meta.uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await this.handle.client.raw('POST', resourcePath(RESOURCES.pods, meta.namespace ?? '', meta.name ?? '', 'binding'), {}, JSON.stringify(binding));
    } catch (e) {
      return Status.fromError(e);
    }
    return null;
  }
}
