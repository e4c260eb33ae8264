/**
 * The root CA certificate publisher — pkg/controller/certificates/rootcacertpublisher/publisher.go: every
 * namespace holds a ConfigMap `kube-root-ca.crt` whose `ca.crt` is the cluster CA (kube-controller-manager's
 * --root-ca-file, kubeadm's /etc/kubernetes/pki/ca.crt) and whose `kubernetes.io/description` annotation
 * says what it is for. A namespace is synced when it appears or is updated while Active, and when its
 * ConfigMap is deleted or changed: a missing one is created, a changed one put back (other keys dropped,
 * other annotations kept). A create into a namespace that is gone or terminating is not retried.
 *
 * The lab's kubeadm keeps no CA files, so the controller makes the cluster CA itself (pki.ts) from its own
 * random stream when it starts: the same seed gives the same certificate.
 */
import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1';
import { isNotFound, StatusError } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { DeletedFinalStateUnknown } from '../../client/cache/store.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import { generateClusterCA } from '../../apiserver/serviceaccount/pki.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

export const ROOT_CA_CERT_CONFIG_MAP_NAME = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

type NamespaceObject = Namespace & KubeObject;
type ConfigMapObject = ConfigMap & KubeObject;

export class Publisher implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly nsInformer: SharedIndexInformer<NamespaceObject>;
  private readonly cmInformer: SharedIndexInformer<ConfigMapObject>;
  private readonly cmLister: Lister<ConfigMapObject>;

  constructor(
    private readonly ctx: ControllerContext,
    /** The PEM bundle every namespace gets. */
    readonly rootCA: string,
  ) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'root_ca_cert_publisher' });
    this.nsInformer = ctx.informers.informerFor<NamespaceObject>(RESOURCES.namespaces);
    this.cmInformer = ctx.informers.informerFor<ConfigMapObject>(RESOURCES.configmaps);
    this.cmLister = this.cmInformer.lister();
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_old, ns) => {
        if (ns.status?.phase === 'Active') this.queue.add(ns.metadata?.name ?? '');
      },
    });
    const onConfigMap = (cm: ConfigMapObject | undefined) => {
      if (cm?.metadata?.name === ROOT_CA_CERT_CONFIG_MAP_NAME && cm.metadata.namespace) this.queue.add(cm.metadata.namespace);
    };
    this.cmInformer.addEventHandler({
      onUpdate: (_old, cm) => onConfigMap(cm),
      onDelete: (obj) => onConfigMap(obj instanceof DeletedFinalStateUnknown ? obj.obj : obj),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.nsInformer.waitForSync()) || !(await this.cmInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNamespace(key), { onError: (key, error) => this.ctx.handleError(new Error(`syncing ${JSON.stringify(key)} failed: ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  async syncNamespace(namespace: string): Promise<void> {
    const configMaps = this.ctx.client.resource<ConfigMapObject>(RESOURCES.configmaps);
    const cm = this.cmLister.byNamespace(namespace).get(ROOT_CA_CERT_CONFIG_MAP_NAME);
    if (!cm) {
      try {
        await configMaps.create(namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CERT_CONFIG_MAP_NAME, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data: { 'ca.crt': this.rootCA },
        });
      } catch (error) {
        // Don't retry a create into a namespace that is gone or terminating.
        if (isNotFound(error) || namespaceTerminating(error)) return;
        throw error;
      }
      return;
    }
    const data = cm.data ?? {};
    const keys = Object.keys(data);
    if (keys.length === 1 && data['ca.crt'] === this.rootCA && cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION]) return;
    const copy = deepCopy(cm);
    copy.data = { 'ca.crt': this.rootCA };
    copy.metadata = { ...copy.metadata, annotations: { ...copy.metadata?.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
    await configMaps.update(namespace, copy);
  }
}

function namespaceTerminating(error: unknown): boolean {
  return error instanceof StatusError && (error.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

export const rootCACertPublisherDescriptor: ControllerDescriptor = {
  name: 'root-ca-certificate-publisher-controller',
  workers: 1,
  init: (ctx) => new Publisher(ctx, generateClusterCA(ctx.rng.fork('cluster CA'), ctx.clock.now()).certificate),
};
