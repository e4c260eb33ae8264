/**
 * The EndpointSlice controller — pkg/controller/endpointslice (and staging endpointslice/reconciler):
 * for every Service with a selector, EndpointSlices (`<service>-<5 chars>`, owned by the Service, labelled
 * `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`)
 * holding one endpoint per selected pod with an IP: its address, conditions ready / serving /
 * terminating (terminating pods stay, flagged, so kube-proxy can drain them), nodeName and targetRef.
 * Endpoints with the same ports share slices of at most 100; a service with no endpoints keeps one empty
 * placeholder slice. Existing slices are updated in place rather than replaced.
 * Left out: topology hints and zone labels, the 1,000-endpoint batching of the reconciler's updates.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { isPodReady } from '../../api/pod/podutil.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { LAST_CHANGE_TRIGGER_TIME, findPort, lastChangeTime, managesEndpoints, podReadyForService, selectsPod, servicesForPod, shouldPodBeInEndpoints } from '../endpoint/servicePods.ts';
import { getControllerOf, messageOf, newControllerRef } from '../podControl.ts';

export const MAX_ENDPOINTS_PER_SLICE = 100;
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

type ServiceObject = Service & KubeObject;
type PodObject = Pod & KubeObject;
type SliceObject = EndpointSlice & KubeObject;

/** The desired endpoints of a service, grouped by their ports (key: the ports as JSON). */
export function desiredEndpoints(service: Service, pods: readonly Pod[]): Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }> {
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const terminating = Boolean(pod.metadata?.deletionTimestamp);
    const endpoint: Endpoint = {
      addresses: [pod.status!.podIP!],
      conditions: { ready: podReadyForService(service, pod), serving: isPodReady(pod), terminating },
      ...(pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    };
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, group);
    group.endpoints.push(endpoint);
  }
  return groups;
}

export class EndpointSliceController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly services: SharedIndexInformer<ServiceObject>;
  private readonly pods: SharedIndexInformer<PodObject>;
  private readonly slices: SharedIndexInformer<SliceObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'endpoint_slice' });
    this.services = ctx.informers.informerFor<ServiceObject>(RESOURCES.services);
    this.pods = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.slices = ctx.informers.informerFor<SliceObject>(RESOURCES.endpointslices);
    const enqueueService = (svc: ServiceObject) => this.queue.add(metaNamespaceKeyFunc(svc));
    this.services.addEventHandler({ onAdd: enqueueService, onUpdate: (_o, s) => enqueueService(s) });
    const podChanged = (...pods: Array<PodObject | undefined>) => {
      const namespace = pods.find(Boolean)?.metadata?.namespace ?? '';
      for (const svc of servicesForPod(this.services.lister().byNamespace(namespace).list(), ...pods)) enqueueService(svc);
    };
    this.pods.addEventHandler({
      onAdd: (p) => podChanged(p),
      onUpdate: (o, p) => podChanged(o, p),
      onDelete: (obj) => podChanged(obj instanceof DeletedFinalStateUnknown ? obj.obj : obj),
    });
    // A managed slice changed or deleted by someone else is put right.
    const sliceChanged = (obj: SliceObject | DeletedFinalStateUnknown<SliceObject>) => {
      const slice = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
      const service = slice?.metadata?.labels?.[LABEL_SERVICE_NAME];
      if (slice && service && slice.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME) this.queue.add(`${slice.metadata?.namespace}/${service}`);
    };
    this.slices.addEventHandler({ onUpdate: (_o, s) => sliceChanged(s), onDelete: sliceChanged });
  }

  async run(workers: number): Promise<void> {
    for (const i of [this.services, this.pods, this.slices]) if (!(await i.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncService(key), { onError: (key, error) => this.ctx.handleError(new Error(`error syncing endpoint slices for service "${key}": ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const service = this.services.lister().byNamespace(namespace).get(name);
    // A deleted service's slices go with it through the garbage collector (they are owned).
    if (!service || service.metadata?.deletionTimestamp || !managesEndpoints(service)) return;
    const pods = this.pods
      .lister()
      .byNamespace(namespace)
      .list()
      .filter((p) => selectsPod(service, p));
    const existing = this.slices
      .lister()
      .byNamespace(namespace)
      .list()
      .filter((s) => s.metadata?.labels?.[LABEL_SERVICE_NAME] === name && s.metadata?.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME && getControllerOf(s)?.uid === service.metadata?.uid)
      .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));

    const desired: Array<{ ports: EndpointPort[] | null; endpoints: Endpoint[] | null }> = [];
    for (const group of desiredEndpoints(service, pods).values()) {
      for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) desired.push({ ports: group.ports, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
    // No endpoints: one placeholder slice, as upstream keeps (endpoints and ports null).
    if (desired.length === 0) desired.push({ ports: null, endpoints: null });

    const labels: Record<string, string> = { ...service.metadata?.labels, [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: CONTROLLER_NAME };
    if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const trigger = lastChangeTime(service, pods);
    const client = this.ctx.client.resource<SliceObject>(RESOURCES.endpointslices);
    const unused = [...existing];
    for (const want of desired) {
      // Reuse a slice with the same ports, else any spare one.
      const idx = Math.max(
        unused.findIndex((s) => JSON.stringify(s.ports ?? null) === JSON.stringify(want.ports)),
        unused.length ? 0 : -1,
      );
      const reuse = idx >= 0 ? unused.splice(idx, 1)[0] : undefined;
      const same = reuse && JSON.stringify(reuse.endpoints ?? null) === JSON.stringify(want.endpoints) && JSON.stringify(reuse.ports ?? null) === JSON.stringify(want.ports) && JSON.stringify(reuse.metadata?.labels) === JSON.stringify(labels);
      if (same) continue;
      const body: SliceObject = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          ...(reuse?.metadata ?? { generateName: `${name}-`, namespace, ownerReferences: [newControllerRef(service, 'v1', 'Service')] }),
          labels,
          ...(trigger ? { annotations: { ...(reuse?.metadata?.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: trigger } } : {}),
        },
        addressType: 'IPv4',
        endpoints: want.endpoints as Endpoint[],
        ports: want.ports as EndpointPort[],
      };
      try {
        if (reuse) await client.update(namespace, body);
        else await client.create(namespace, body);
      } catch (error) {
        if (isConflict(error) || isNotFound(error)) {
          this.queue.addRateLimited(key);
          return;
        }
        throw error;
      }
    }
    for (const extra of unused) {
      try {
        await client.delete(namespace, extra.metadata?.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
}

export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice-controller',
  workers: 5,
  init: (ctx) => new EndpointSliceController(ctx),
};
