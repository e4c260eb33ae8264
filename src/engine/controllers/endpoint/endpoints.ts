/**
 * The Endpoints controller — pkg/controller/endpoint/endpoints_controller.go: for every Service with a
 * selector, an Endpoints object of the same name listing the selected pods' IPs — ready ones under
 * `addresses`, the others under `notReadyAddresses` (all under addresses with publishNotReadyAddresses)
 * — with each service port resolved against the pod (named targetPorts through container ports), and
 * subsets repacked so pods with the same ports share one. `kubectl get endpoints` and `describe svc`
 * read it. Headless services' Endpoints carry `service.kubernetes.io/headless`.
 * Left out: the 1000-address truncation annotation.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';
import { LAST_CHANGE_TRIGGER_TIME, findPort, lastChangeTime, managesEndpoints, podReadyForService, selectsPod, servicesForPod, shouldPodBeInEndpoints } from './servicePods.ts';

type ServiceObject = Service & KubeObject;
type PodObject = Pod & KubeObject;
type EndpointsObject = Endpoints & KubeObject;

const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);

/** The subsets for a service's pods (endpoints.RepackSubsets): one per distinct set of ports. */
export function computeSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const tolerateUnready = Boolean(service.spec?.publishNotReadyAddresses);
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const address: EndpointAddress = {
      ip: pod.status!.podIP!,
      ...(pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? { hostname: pod.spec.hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    };
    const ports: EndpointPort[] = [];
    for (const sp of service.spec?.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    if ((service.spec?.ports?.length ?? 0) > 0 && ports.length === 0) continue;
    const key = JSON.stringify(ports);
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    groups.set(key, group);
    (podReadyForService(service, pod) ? group.ready : group.notReady).push(address);
  }
  return [...groups.values()].map((g) => ({
    ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}

export class EndpointsController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly services: SharedIndexInformer<ServiceObject>;
  private readonly pods: SharedIndexInformer<PodObject>;
  private readonly endpoints: SharedIndexInformer<EndpointsObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'endpoint' });
    this.services = ctx.informers.informerFor<ServiceObject>(RESOURCES.services);
    this.pods = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.endpoints = ctx.informers.informerFor<EndpointsObject>(RESOURCES.endpoints);
    const enqueueService = (obj: ServiceObject | DeletedFinalStateUnknown<ServiceObject>) => this.queue.add(obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKeyFunc(obj));
    this.services.addEventHandler({ onAdd: enqueueService, onUpdate: (_o, s) => enqueueService(s), onDelete: enqueueService });
    const podChanged = (...pods: Array<PodObject | undefined>) => {
      const namespace = pods.find(Boolean)?.metadata?.namespace ?? '';
      for (const svc of servicesForPod(this.services.lister().byNamespace(namespace).list(), ...pods)) this.queue.add(metaNamespaceKeyFunc(svc));
    };
    this.pods.addEventHandler({
      onAdd: (p) => podChanged(p),
      onUpdate: (o, p) => podChanged(o, p),
      onDelete: (obj) => podChanged(obj instanceof DeletedFinalStateUnknown ? obj.obj : obj),
    });
  }

  async run(workers: number): Promise<void> {
    for (const i of [this.services, this.pods, this.endpoints]) if (!(await i.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncService(key), { onError: (key, error) => this.ctx.handleError(new Error(`error syncing endpoints for service "${key}": ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const client = this.ctx.client.resource<EndpointsObject>(RESOURCES.endpoints);
    const service = this.services.lister().byNamespace(namespace).get(name);
    if (!service) {
      try {
        await client.delete(namespace, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return;
    }
    if (!managesEndpoints(service)) return;
    const pods = this.pods
      .lister()
      .byNamespace(namespace)
      .list()
      .filter((p) => selectsPod(service, p));
    const subsets = computeSubsets(service, pods);
    const labels: Record<string, string> = { ...service.metadata?.labels };
    if (service.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const current = this.endpoints.lister().byNamespace(namespace).get(name);
    const sameSubsets = JSON.stringify(current?.subsets ?? []) === JSON.stringify(subsets);
    const sameLabels = JSON.stringify(current?.metadata?.labels ?? {}) === JSON.stringify(labels);
    if (current && sameSubsets && sameLabels) return;
    const trigger = lastChangeTime(service, pods);
    const body: EndpointsObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? { name, namespace }),
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(trigger ? { annotations: { ...(current?.metadata?.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: trigger } } : {}),
      },
      ...(subsets.length ? { subsets } : {}),
    };
    try {
      if (current) await client.update(namespace, body);
      else await client.create(namespace, body);
    } catch (error) {
      // Someone changed it first (or it exists already): sync again from the fresher cache.
      if (isConflict(error) || isAlreadyExists(error)) {
        this.queue.addRateLimited(key);
        return;
      }
      throw error;
    }
  }
}

export const endpointsControllerDescriptor: ControllerDescriptor = {
  name: 'endpoints-controller',
  workers: 5,
  init: (ctx) => new EndpointsController(ctx),
};
