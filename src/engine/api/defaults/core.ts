/**
 * Defaulting for the core group (k8s.io/kubernetes/pkg/apis/core/v1: defaults.go and the generated
 * zz_generated.defaults.go that walks each kind down to every nested struct with a defaulter).
 *
 * Which object gets which: SetDefaults_PodSpec (restartPolicy, dnsPolicy, schedulerName,
 * terminationGracePeriodSeconds, securityContext) and every container, probe, volume and env defaulter run
 * on a Pod and on every pod template (Deployment, StatefulSet, Job, CronJob…: see `setDefaultsPodTemplateSpec`).
 * SetDefaults_Pod runs on Pods only: requests copied from limits, enableServiceLinks, and host ports for
 * host-network pods — so none of those appear inside a Deployment's template.
 *
 * Objects here are the JSON a Go client would see, so besides the defaulters this also fills what Go's
 * decode/encode round trip makes visible: a struct field that is not a pointer is always printed
 * (`resources: {}` on a container), an embedded ObjectMeta prints its zero creationTimestamp as null
 * (`template.metadata.creationTimestamp: null`), a zero Quantity prints as "0" (`divisor: "0"`). Status
 * fields of that kind are left to the registry, which resets status on create.
 *
 * Left out: SetDefaults_ResourceList's rounding of quantities up to milli precision (it needs the quantity
 * parser); defaults behind feature gates that 1.32 leaves off (PodLevelResources, ImageVolume,
 * ClusterTrustBundleProjection); ReplicationController and PodTemplate, which the lab does not serve.
 * Defaults that come from admission (serviceAccountName, priority, tolerations) or from a registry
 * (a pod's status, a namespace's finalizers, a service's cluster IP) live there, except the Service's IP
 * family fields, filled here as a single-stack IPv4 cluster's allocator fills them.
 */
import type {
  Container,
  EndpointPort,
  Endpoints,
  EnvVar,
  Event,
  HTTPGetAction,
  LimitRange,
  LimitRangeItem,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimSpec,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Secret,
  Service,
  ServiceSpec,
  Volume,
  VolumeProjection,
} from 'kubernetes-types/core/v1';
import { imageTag } from './imageTag.ts';
import type { Defaulter } from './index.ts';

/** Mode bits of secret, configMap, downwardAPI and projected volumes: 0644 (v1.*VolumeSourceDefaultMode). */
const DEFAULT_VOLUME_MODE = 0o644;

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
const DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS = 10800;

/** An embedded ObjectMeta as Go prints it: a zero creationTimestamp is `null`, not absent. */
export function setDefaultsEmbeddedObjectMeta(owner: { metadata?: unknown }): void {
  const meta = (owner.metadata ??= {}) as Record<string, unknown>;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
}

// --- containers ---------------------------------------------------------------------------------

/** SetDefaults_HTTPGetAction: path "/" and scheme HTTP. */
function setDefaultsHTTPGetAction(action: HTTPGetAction): void {
  if (!action.path) action.path = '/';
  if (!action.scheme) action.scheme = 'HTTP';
}

/** SetDefaults_Probe, with its httpGet and grpc handlers (GRPCAction.service defaults to ""). */
function setDefaultsProbe(probe: Probe): void {
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  if (probe.httpGet) setDefaultsHTTPGetAction(probe.httpGet);
  if (probe.grpc && probe.grpc.service == null) probe.grpc.service = '';
}

/** SetDefaults_ObjectFieldSelector (apiVersion v1) and a resourceFieldRef's zero divisor, as Go prints it. */
function setDefaultsEnvSources(source: { fieldRef?: { apiVersion?: string }; resourceFieldRef?: { divisor?: unknown } } | undefined): void {
  if (!source) return;
  if (source.fieldRef && !source.fieldRef.apiVersion) source.fieldRef.apiVersion = 'v1';
  if (source.resourceFieldRef && source.resourceFieldRef.divisor == null) source.resourceFieldRef.divisor = '0';
}

/** PullAlways for an image tagged (or defaulting to) latest, PullIfNotPresent otherwise. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * SetDefaults_Container and what the generated defaulter applies inside a container: ports' protocol,
 * env fieldRefs, probes, lifecycle httpGet handlers; plus the always-printed `resources: {}`.
 */
function setDefaultsContainer(container: Container): void {
  if (!container.imagePullPolicy) container.imagePullPolicy = defaultImagePullPolicy(container.image ?? '');
  if (!container.terminationMessagePath) container.terminationMessagePath = '/dev/termination-log';
  if (!container.terminationMessagePolicy) container.terminationMessagePolicy = 'File';
  for (const port of container.ports ?? []) if (!port.protocol) port.protocol = 'TCP';
  for (const env of container.env ?? []) setDefaultsEnvSources((env as EnvVar).valueFrom);
  container.resources ??= {};
  for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) if (probe) setDefaultsProbe(probe);
  for (const handler of [container.lifecycle?.postStart, container.lifecycle?.preStop]) if (handler?.httpGet) setDefaultsHTTPGetAction(handler.httpGet);
}

// --- volumes ------------------------------------------------------------------------------------

/** The generated defaulters of the legacy in-tree volume sources (declarative `+default` tags). */
function setDefaultsLegacyVolumeSources(source: Record<string, unknown>): void {
  const iscsi = source.iscsi as Record<string, unknown> | undefined;
  if (iscsi && !iscsi.iscsiInterface) iscsi.iscsiInterface = 'default';
  const rbd = source.rbd as Record<string, unknown> | undefined;
  if (rbd) {
    if (!rbd.pool) rbd.pool = 'rbd';
    if (!rbd.user) rbd.user = 'admin';
    if (!rbd.keyring) rbd.keyring = '/etc/ceph/keyring';
  }
  const azureDisk = source.azureDisk as Record<string, unknown> | undefined;
  if (azureDisk) {
    azureDisk.cachingMode ??= 'ReadWrite';
    azureDisk.fsType ??= 'ext4';
    azureDisk.readOnly ??= false;
    azureDisk.kind ??= 'Shared';
  }
  const scaleIO = source.scaleIO as Record<string, unknown> | undefined;
  if (scaleIO) {
    if (!scaleIO.storageMode) scaleIO.storageMode = 'ThinProvisioned';
    if (!scaleIO.fsType) scaleIO.fsType = 'xfs';
  }
}

/** SetDefaults_ServiceAccountTokenProjection (one hour) and downwardAPI items inside a projected volume. */
function setDefaultsVolumeProjection(projection: VolumeProjection): void {
  for (const item of projection.downwardAPI?.items ?? []) setDefaultsEnvSources(item);
  if (projection.serviceAccountToken && projection.serviceAccountToken.expirationSeconds == null) projection.serviceAccountToken.expirationSeconds = 3600;
}

/** SetDefaults_Volume (a volume with no source is an emptyDir) and each source's own defaulter. */
function setDefaultsVolume(volume: Volume): void {
  const source = volume as unknown as Record<string, unknown>;
  if (!Object.keys(source).some((k) => k !== 'name' && source[k] != null)) volume.emptyDir = {};
  if (volume.hostPath && volume.hostPath.type == null) volume.hostPath.type = '';
  if (volume.secret) volume.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (volume.configMap) volume.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (volume.downwardAPI) {
    volume.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const item of volume.downwardAPI.items ?? []) setDefaultsEnvSources(item);
  }
  if (volume.projected) {
    volume.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const projection of volume.projected.sources ?? []) setDefaultsVolumeProjection(projection);
  }
  const claimTemplate = volume.ephemeral?.volumeClaimTemplate;
  if (claimTemplate) {
    setDefaultsEmbeddedObjectMeta(claimTemplate);
    setDefaultsPersistentVolumeClaimSpec(claimTemplate.spec);
  }
  setDefaultsLegacyVolumeSources(source);
}

// --- pods ---------------------------------------------------------------------------------------

/**
 * SetDefaults_PodSpec and every nested defaulter under a pod spec: what a Pod and every pod template get.
 */
export function setDefaultsPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const volume of spec.volumes ?? []) setDefaultsVolume(volume);
  for (const container of spec.initContainers ?? []) setDefaultsContainer(container);
  for (const container of spec.containers ?? []) setDefaultsContainer(container);
  for (const container of spec.ephemeralContainers ?? []) setDefaultsContainer(container as Container);
}

/** A pod template inside a workload: its ObjectMeta as Go prints it, and the pod spec defaults. */
export function setDefaultsPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (!template) return;
  setDefaultsEmbeddedObjectMeta(template);
  setDefaultsPodSpec((template.spec ??= {} as PodSpec));
}

/** SetDefaults_Pod's "requests default to limits", resource by resource. */
function defaultRequestsFromLimits(container: Container): void {
  const limits = container.resources?.limits;
  if (!limits || Object.keys(limits).length === 0) return;
  const resources = (container.resources ??= {});
  const requests = (resources.requests ??= {});
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
}

/** SetDefaults_Pod then SetDefaults_PodSpec and the nested defaulters, as SetObjectDefaults_Pod runs them. */
export function setDefaultsPod(pod: Pod): void {
  const spec = (pod.spec ??= {} as PodSpec);
  for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) defaultRequestsFromLimits(container);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const container of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const port of container.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
    }
  }
  setDefaultsPodSpec(spec);
}

// --- services -----------------------------------------------------------------------------------

/** service.ExternallyAccessible: reachable from outside through node ports, a load balancer or external IPs. */
function externallyAccessible(spec: ServiceSpec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
}

/**
 * The IP family fields the service registry's allocator fills on a single-stack IPv4 cluster
 * (initIPFamilyFields): SingleStack/[IPv4], except a headless service without a selector, which gets
 * RequireDualStack and both families whatever the cluster. ExternalName services get none. The
 * cluster IP itself is allocated by the registry.
 */
function initIPFamilyFields(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  spec.ipFamilyPolicy ??= headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  if (!spec.ipFamilies || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
  if (headlessSelectorless && spec.ipFamilyPolicy !== 'SingleStack' && spec.ipFamilies.length < 2) {
    spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
  }
}

/** SetDefaults_Service, then the registry's IP family fields. */
export function setDefaultsService(service: Service): void {
  const spec = (service.spec ??= {});
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_SERVICE_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort == null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    for (const ingress of service.status?.loadBalancer?.ingress ?? []) if (ingress.ip && ingress.ipMode == null) ingress.ipMode = 'VIP';
  }
  initIPFamilyFields(spec);
}

// --- storage ------------------------------------------------------------------------------------

/** SetDefaults_PersistentVolumeClaimSpec (volumeMode Filesystem), and its always-printed `resources: {}`. */
export function setDefaultsPersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec): void {
  spec.volumeMode ??= 'Filesystem';
  spec.resources ??= {};
}

/** SetDefaults_PersistentVolumeClaim (status phase Pending) and its spec's defaults. */
export function setDefaultsPersistentVolumeClaim(claim: PersistentVolumeClaim): void {
  const status = ((claim as { status?: { phase?: string } }).status ??= {});
  if (!status.phase) status.phase = 'Pending';
  setDefaultsPersistentVolumeClaimSpec((claim.spec ??= {}));
}

/** SetDefaults_PersistentVolume: phase Pending, reclaim policy Retain, volumeMode Filesystem; its source's. */
function setDefaultsPersistentVolume(volume: PersistentVolume): void {
  const status = ((volume as { status?: { phase?: string } }).status ??= {});
  if (!status.phase) status.phase = 'Pending';
  const spec = (volume.spec ??= {});
  if (!spec.persistentVolumeReclaimPolicy) spec.persistentVolumeReclaimPolicy = 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath && spec.hostPath.type == null) spec.hostPath.type = '';
  setDefaultsLegacyVolumeSources(spec as Record<string, unknown>);
}

// --- the rest -----------------------------------------------------------------------------------

/** SetDefaults_LimitRangeItem: for containers, default ← max, defaultRequest ← default, then ← min. */
export function setDefaultsLimitRangeItem(item: LimitRangeItem): void {
  if (item.type !== 'Container') return;
  const defaults: Record<string, unknown> = { ...item.default };
  for (const [name, value] of Object.entries(item.max ?? {})) if (!(name in defaults)) defaults[name] = value;
  const requests: Record<string, unknown> = { ...item.defaultRequest };
  for (const [name, value] of Object.entries(defaults)) if (!(name in requests)) requests[name] = value;
  for (const [name, value] of Object.entries(item.min ?? {})) if (!(name in requests)) requests[name] = value;
  // Upstream makes both maps; an empty one is omitted when printed, so it is only kept when it has entries.
  if (Object.keys(defaults).length > 0) item.default = defaults as LimitRangeItem['default'];
  if (Object.keys(requests).length > 0) item.defaultRequest = requests as LimitRangeItem['defaultRequest'];
}

/** SetDefaults_Namespace (the kubernetes.io/metadata.name label) and SetDefaults_NamespaceStatus (Active). */
function setDefaultsNamespace(namespace: Namespace): void {
  const meta = (namespace.metadata ??= {});
  if (meta.name) meta.labels = { ...meta.labels, 'kubernetes.io/metadata.name': meta.name };
  const status = (namespace.status ??= {});
  if (!status.phase) status.phase = 'Active';
}

/** SetDefaults_NodeStatus: allocatable is the capacity when the kubelet reports none. */
function setDefaultsNode(node: Node): void {
  const status = node.status;
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

/** SetDefaults_Endpoints: ports' protocol TCP. */
function setDefaultsEndpoints(endpoints: Endpoints): void {
  for (const subset of endpoints.subsets ?? []) for (const port of subset.ports ?? []) if (!(port as EndpointPort).protocol) port.protocol = 'TCP';
}

/**
 * An Event has no defaulter, but Go prints its struct and non-omitempty fields even when zero: the
 * involved object and source, the three timestamps as null, the reporting fields as "".
 */
function setDefaultsEvent(event: Event): void {
  const e = event as unknown as Record<string, unknown>;
  e.involvedObject ??= {};
  e.source ??= {};
  for (const time of ['firstTimestamp', 'lastTimestamp', 'eventTime']) if (!(time in e)) e[time] = null;
  e.reportingComponent ??= '';
  e.reportingInstance ??= '';
}

export const coreDefaulters: Readonly<Record<string, Defaulter>> = {
  Pod: (o) => setDefaultsPod(o as Pod),
  Service: (o) => setDefaultsService(o as Service),
  Endpoints: (o) => setDefaultsEndpoints(o as Endpoints),
  Namespace: (o) => setDefaultsNamespace(o as Namespace),
  Node: (o) => setDefaultsNode(o as Node),
  Secret: (o) => {
    const secret = o as Secret;
    if (!secret.type) secret.type = 'Opaque';
  },
  Event: (o) => setDefaultsEvent(o as unknown as Event),
  PersistentVolume: (o) => setDefaultsPersistentVolume(o as PersistentVolume),
  PersistentVolumeClaim: (o) => setDefaultsPersistentVolumeClaim(o as PersistentVolumeClaim),
  LimitRange: (o) => {
    for (const item of (o as LimitRange).spec?.limits ?? []) setDefaultsLimitRangeItem(item);
  },
};
