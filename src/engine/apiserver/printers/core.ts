/**
 * Printers of the core (v1) kinds other than Pod — printService, printEndpoints, printNode,
 * printNamespace, printConfigMap, printSecret, printServiceAccount, printEvent,
 * printPersistentVolume, printPersistentVolumeClaim and printResourceQuota of
 * pkg/printers/internalversion (Kubernetes 1.32), with their column definitions.
 *
 * Contract: cells as upstream computes them from the object, wide columns included. Quantities print in
 * canonical form.
 *
 * Left out: LimitRange has no printer upstream (the default NAME / CREATED AT table serves it);
 * ReplicationController, PodTemplate and ComponentStatus are not kinds the lab serves.
 */
import type {
  ConfigMap,
  Endpoints,
  Event,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1';
import { formatLabels } from '../../api/labels/selector.ts';
import { accessModesString, int, loadBalancerIngress, quantityString } from './cells.ts';
import { AGE, column, DOC, NAME, wide } from './columns.ts';
import { parseTime, since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

/** v1.BetaStorageClassAnnotation: read before spec.storageClassName, as upstream's helpers do. */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

const LABEL_NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_LABEL_ROLE = 'kubernetes.io/role';

// Service

function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lbIPs = loadBalancerIngress(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) {
        const results = lbIPs ? lbIPs.split(',') : [];
        results.push(...externalIPs);
        return results.join(',');
      }
      return lbIPs || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  let out = '';
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (i > 0) out += ',';
    out += p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`;
  }
  return out;
}

function printService(svc: Service, now: number): Cell[] {
  // The internal type keeps only clusterIPs; conversion makes a set clusterIP its first entry.
  const clusterIP = svc.spec?.clusterIP || svc.spec?.clusterIPs?.[0] || '<none>';
  return [svc.metadata?.name ?? '', svc.spec?.type ?? '', clusterIP, serviceExternalIP(svc), servicePorts(svc), since(svc.metadata?.creationTimestamp, now), formatLabels(svc.spec?.selector)];
}

// Endpoints

/** net.JoinHostPort: IPv6 addresses in brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints: up to three `ip:port` (or bare IPs of a port-less subset), then ` + N more...`. */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(addr.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(addr.ip, port.port));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

// Node

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  const labels = node.metadata?.labels;
  if (labels) {
    for (const key in labels) {
      if (key.startsWith(LABEL_NODE_ROLE_PREFIX)) {
        const role = key.slice(LABEL_NODE_ROLE_PREFIX.length);
        if (role) roles.add(role);
      } else if (key === NODE_LABEL_ROLE && labels[key]) {
        roles.add(labels[key]);
      }
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: Node, type: string): string {
  for (const address of node.status?.addresses ?? []) {
    if (address.type === type) return address.address;
  }
  return '<none>';
}

function printNode(node: Node, now: number): Cell[] {
  // Only the Ready condition shows; the last entry of a type wins, as in upstream's condition map.
  let ready: string | undefined;
  for (const c of node.status?.conditions ?? []) {
    if (c.type === 'Ready') ready = c.status === 'True' ? 'Ready' : 'NotReady';
  }
  let status = ready ?? 'Unknown';
  if (node.spec?.unschedulable) status += ',SchedulingDisabled';
  const info = node.status?.nodeInfo;
  return [
    node.metadata?.name ?? '',
    status,
    nodeRoles(node),
    since(node.metadata?.creationTimestamp, now),
    info?.kubeletVersion ?? '',
    nodeAddress(node, 'InternalIP'),
    nodeAddress(node, 'ExternalIP'),
    info?.osImage || '<unknown>',
    info?.kernelVersion || '<unknown>',
    info?.containerRuntimeVersion || '<unknown>',
  ];
}

// Event

/** formatEventSource: component (or reportingController), then `, host` (or reportingInstance). */
function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

function printEvent(event: Event, now: number): Cell[] {
  const firstTimestamp = parseTime(event.firstTimestamp) === undefined ? since(event.eventTime, now) : since(event.firstTimestamp, now);
  let lastTimestamp = parseTime(event.lastTimestamp) === undefined ? firstTimestamp : since(event.lastTimestamp, now);
  let count = event.count ?? 0;
  if (event.series) {
    lastTimestamp = since(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the events.k8s.io API carry no count.
    count = 1;
  }
  const involved = event.involvedObject as Event['involvedObject'] | undefined;
  const kind = (involved?.kind ?? '').toLowerCase();
  const target = involved?.name ? `${kind}/${involved.name}` : kind;
  return [lastTimestamp, event.type ?? '', event.reason ?? '', target, involved?.fieldPath ?? '', eventSource(event), (event.message ?? '').trim(), firstTimestamp, count, event.metadata?.name ?? ''];
}

// PersistentVolume, PersistentVolumeClaim

function printPersistentVolume(pv: PersistentVolume, now: number): Cell[] {
  const spec = pv.spec ?? {};
  const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
  const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
  const annotations = pv.metadata?.annotations;
  const storageClass = annotations && BETA_STORAGE_CLASS_ANNOTATION in annotations ? annotations[BETA_STORAGE_CLASS_ANNOTATION]! : (spec.storageClassName ?? '');
  return [
    pv.metadata?.name ?? '',
    quantityString(spec.capacity?.['storage']),
    accessModesString(spec.accessModes),
    spec.persistentVolumeReclaimPolicy ?? '',
    phase,
    claim,
    storageClass,
    spec.volumeAttributesClassName ?? '<unset>',
    pv.status?.reason ?? '',
    since(pv.metadata?.creationTimestamp, now),
    spec.volumeMode ?? '<unset>',
  ];
}

function printPersistentVolumeClaim(pvc: PersistentVolumeClaim, now: number): Cell[] {
  const spec = pvc.spec ?? {};
  const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
  let capacity = '';
  let accessModes = '';
  if (spec.volumeName) {
    accessModes = accessModesString(pvc.status?.accessModes);
    capacity = quantityString(pvc.status?.capacity?.['storage']);
  }
  const annotations = pvc.metadata?.annotations;
  const storageClass = annotations && BETA_STORAGE_CLASS_ANNOTATION in annotations ? annotations[BETA_STORAGE_CLASS_ANNOTATION]! : (spec.storageClassName ?? '');
  return [
    pvc.metadata?.name ?? '',
    phase,
    spec.volumeName ?? '',
    capacity,
    accessModes,
    storageClass,
    spec.volumeAttributesClassName ?? '<unset>',
    since(pvc.metadata?.creationTimestamp, now),
    spec.volumeMode ?? '<unset>',
  ];
}

// ResourceQuota

function printResourceQuota(quota: ResourceQuota, now: number): Cell[] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const resources = Object.keys(hard).sort();
  let requests = '';
  let limits = '';
  for (const resource of resources) {
    const entry = `${resource}: ${quantityString(used[resource])}/${quantityString(hard[resource])}`;
    // Resources named limits.<x> go to the LIMIT column.
    if (resource.startsWith('limits.')) limits += (limits ? ', ' : '') + entry;
    else requests += (requests ? ', ' : '') + entry;
  }
  return [quota.metadata?.name ?? '', requests, limits, since(quota.metadata?.creationTimestamp, now)];
}

export const coreHandlers = {
  Service: tableHandler<Service>(
    [
      NAME,
      column('Type', 'string', DOC.svcType),
      column('Cluster-IP', 'string', DOC.svcClusterIP),
      column('External-IP', 'string', DOC.svcExternalIPs),
      column('Port(s)', 'string', DOC.svcPorts),
      AGE,
      wide('Selector', 'string', DOC.svcSelector),
    ],
    printService,
  ),
  Endpoints: tableHandler<Endpoints>([NAME, column('Endpoints', 'string', DOC.epSubsets), AGE], (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), since(ep.metadata?.creationTimestamp, now)]),
  Node: tableHandler<Node>(
    [
      NAME,
      column('Status', 'string', 'The status of the node'),
      column('Roles', 'string', 'The roles of the node'),
      AGE,
      column('Version', 'string', DOC.kubeletVersion),
      wide('Internal-IP', 'string', DOC.nodeAddresses),
      wide('External-IP', 'string', DOC.nodeAddresses),
      wide('OS-Image', 'string', DOC.osImage),
      wide('Kernel-Version', 'string', DOC.kernelVersion),
      wide('Container-Runtime', 'string', DOC.containerRuntimeVersion),
    ],
    printNode,
  ),
  Namespace: tableHandler<Namespace>([NAME, column('Status', 'string', 'The status of the namespace'), AGE], (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', since(ns.metadata?.creationTimestamp, now)]),
  ConfigMap: tableHandler<ConfigMap>([NAME, column('Data', 'string', DOC.cmData), AGE], (cm, now) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    since(cm.metadata?.creationTimestamp, now),
  ]),
  Secret: tableHandler<Secret>([NAME, column('Type', 'string', DOC.secretType), column('Data', 'string', DOC.secretData), AGE], (secret, now) => [
    secret.metadata?.name ?? '',
    secret.type ?? '',
    Object.keys(secret.data ?? {}).length,
    since(secret.metadata?.creationTimestamp, now),
  ]),
  ServiceAccount: tableHandler<ServiceAccount>([NAME, column('Secrets', 'string', DOC.saSecrets), AGE], (sa, now) => [sa.metadata?.name ?? '', int(sa.secrets?.length), since(sa.metadata?.creationTimestamp, now)]),
  Event: tableHandler<Event>(
    [
      column('Last Seen', 'string', DOC.evLastTimestamp),
      column('Type', 'string', DOC.evType),
      column('Reason', 'string', DOC.evReason),
      column('Object', 'string', DOC.evInvolvedObject),
      wide('Subobject', 'string', DOC.refFieldPath),
      wide('Source', 'string', DOC.evSource),
      column('Message', 'string', DOC.evMessage),
      wide('First Seen', 'string', DOC.evFirstTimestamp),
      wide('Count', 'string', DOC.evCount),
      column('Name', 'string', DOC.name, { format: 'name', priority: 1 }),
    ],
    printEvent,
  ),
  PersistentVolume: tableHandler<PersistentVolume>(
    [
      NAME,
      column('Capacity', 'string', DOC.pvCapacity),
      column('Access Modes', 'string', DOC.pvAccessModes),
      column('Reclaim Policy', 'string', DOC.pvReclaimPolicy),
      column('Status', 'string', DOC.pvPhase),
      column('Claim', 'string', DOC.pvClaimRef),
      column('StorageClass', 'string', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
      column('Reason', 'string', DOC.pvReason),
      AGE,
      wide('VolumeMode', 'string', DOC.pvVolumeMode),
    ],
    printPersistentVolume,
  ),
  PersistentVolumeClaim: tableHandler<PersistentVolumeClaim>(
    [
      NAME,
      column('Status', 'string', DOC.pvcPhase),
      column('Volume', 'string', DOC.pvcVolumeName),
      column('Capacity', 'string', DOC.pvcCapacity),
      column('Access Modes', 'string', DOC.pvcAccessModes),
      column('StorageClass', 'string', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
      AGE,
      wide('VolumeMode', 'string', DOC.pvcVolumeMode),
    ],
    printPersistentVolumeClaim,
  ),
  ResourceQuota: tableHandler<ResourceQuota>(
    [
      NAME,
      column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
      AGE,
    ],
    printResourceQuota,
  ),
};
