/**
 * Core kinds other than Pod and Service — pkg/apis/core/validation (Kubernetes 1.32) for ConfigMap,
 * Secret, Namespace, ServiceAccount, Node, Endpoints, Event, Binding, LimitRange, ResourceQuota,
 * PersistentVolume and PersistentVolumeClaim.
 *
 * Contract: each function returns the errors past ObjectMeta with upstream's paths and messages.
 * `[]byte` fields (Secret data, ConfigMap binaryData) arrive base64-encoded and are measured decoded;
 * a Secret's `stringData` counts as data, as after conversion.
 *
 * Left out: node status and resources, pod CIDRs, event series and the events.k8s.io rules, quota
 * scope selectors, PV volume sources' own fields and node affinity, PVC data sources.
 */
import type {
  Binding,
  ConfigMap,
  EndpointPort,
  Endpoints,
  Event,
  LimitRange,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  ResourceQuota,
  Secret,
  ServiceAccount,
} from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import type { Quantity } from '../resource/quantity.ts';
import { isConfigMapKey, isValidIP, isValidLabelValue, isValidPortNum } from './formats.ts';
import { base64DecodedLength, byteLength, decodeBase64, nameIsDNSSubdomain, semanticEqual, tooLong, validateDNS1123Label, validateImmutableField } from './generic.ts';
import { GoValue } from './goSyntax.ts';
import { validateLabelName, validateLabelSelector } from './labels.ts';
import { validateKubeFinalizerName } from './objectMeta.ts';
import { specDiff, validateTaintEffect } from './pod.ts';
import {
  goQuantity,
  quantityAt,
  validateContainerResourceName,
  validateNonnegativeQuantity,
  validatePositiveQuantityValue,
  validateResourceName,
  validateResourceQuantityValue,
} from './resources.ts';

export const MaxSecretSize = 1 * 1024 * 1024;
const immutableWhenSet = 'field is immutable when `immutable` is set';
const dataPath = Path.of('data');
const specPath = Path.of('spec');

// ---- ConfigMap ----

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const key in cm.data ?? {}) {
    for (const m of isConfigMapKey(key)) errs.push(field.invalid(dataPath.key(key), key, m));
    if (cm.binaryData && key in cm.binaryData) errs.push(field.invalid(dataPath.key(key), key, 'duplicate of key present in binaryData'));
    total += byteLength(cm.data?.[key] ?? '');
  }
  for (const key in cm.binaryData ?? {}) {
    for (const m of isConfigMapKey(key)) errs.push(field.invalid(Path.of('binaryData').key(key), key, m));
    total += base64DecodedLength(cm.binaryData?.[key] ?? '');
  }
  // Upstream reports the whole object at the empty path.
  if (total > MaxSecretSize) errs.push(tooLong(Path.of(''), MaxSecretSize));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable) {
    if (!cm.immutable) errs.push(field.forbidden(Path.of('immutable'), immutableWhenSet));
    if (!semanticEqual(cm.data, old.data)) errs.push(field.forbidden(dataPath, immutableWhenSet));
    if (!semanticEqual(cm.binaryData, old.binaryData)) errs.push(field.forbidden(Path.of('binaryData'), immutableWhenSet));
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}

// ---- Secret ----

/** A secret's data after conversion: base64 `data` plus plain `stringData` (which wins). */
function secretData(s: Secret): Map<string, { length: number; text: () => string | undefined }> {
  const out = new Map<string, { length: number; text: () => string | undefined }>();
  for (const k in s.data ?? {}) {
    const v = s.data?.[k] ?? '';
    out.set(k, { length: base64DecodedLength(v), text: () => decodeBase64(v) });
  }
  for (const k in s.stringData ?? {}) {
    const v = s.stringData?.[k] ?? '';
    out.set(k, { length: byteLength(v), text: () => v });
  }
  return out;
}

function jsonError(text: string | undefined): string | undefined {
  try {
    const v: unknown = JSON.parse(text ?? '');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'json: cannot unmarshal into Go value of type map[string]interface {}';
    return undefined;
  } catch {
    return 'unexpected end of JSON input';
  }
}

export function validateSecret(s: Secret): FieldError[] {
  const errs: FieldError[] = [];
  const data = secretData(s);
  let total = 0;
  for (const [key, v] of data) {
    for (const m of isConfigMapKey(key)) errs.push(field.invalid(dataPath.key(key), key, m));
    total += v.length;
  }
  if (total > MaxSecretSize) errs.push(tooLong(dataPath, MaxSecretSize));
  const requireJSON = (key: string) => {
    const v = data.get(key);
    if (!v) {
      errs.push(field.required(dataPath.key(key), ''));
      return;
    }
    const e = jsonError(v.text());
    if (e) errs.push(field.invalid(dataPath.key(key), '<secret contents redacted>', e));
  };
  switch (s.type ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required(Path.of('metadata', 'annotations').key('kubernetes.io/service-account.name'), ''));
      }
      break;
    case 'kubernetes.io/dockercfg':
      requireJSON('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJSON('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!data.has('username') && !data.has('password')) {
        errs.push(field.required(dataPath.key('username'), ''));
        errs.push(field.required(dataPath.key('password'), ''));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data.get('ssh-privatekey')?.length) errs.push(field.required(dataPath.key('ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      if (!data.has('tls.crt')) errs.push(field.required(dataPath.key('tls.crt'), ''));
      if (!data.has('tls.key')) errs.push(field.required(dataPath.key('tls.key'), ''));
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs = validateImmutableField(s.type ?? '', old.type ?? '', Path.of('type'));
  if (old.immutable) {
    if (!s.immutable) errs.push(field.forbidden(Path.of('immutable'), immutableWhenSet));
    if (!semanticEqual(s.data, old.data)) errs.push(field.forbidden(dataPath, immutableWhenSet));
  }
  errs.push(...validateSecret(s));
  return errs;
}

// ---- Namespace, ServiceAccount ----

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ns.spec?.finalizers ?? []) errs.push(...validateKubeFinalizerName(f, specPath.child('finalizers')));
  return errs;
}

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  const errs: FieldError[] = [];
  (sa.secrets ?? []).forEach((ref, i) => {
    if (ref.name) for (const m of nameIsDNSSubdomain(ref.name, false)) errs.push(field.invalid(Path.of('secrets').index(i).child('name'), ref.name, m));
  });
  return errs;
}

// ---- Node ----

export function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const taintsPath = specPath.child('taints');
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const p = taintsPath.index(i);
    errs.push(...validateLabelName(t.key, p.child('key')));
    if (t.value) for (const m of isValidLabelValue(t.value)) errs.push(field.invalid(p.child('value'), t.value, m));
    errs.push(...validateTaintEffect(t.effect, false, p.child('effect')));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) errs.push(field.duplicate(p, new GoValue(`core.Taint{Key:${JSON.stringify(t.key)}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect)}, TimeAdded:<nil>}`)));
    seen.add(key);
  });
  return errs;
}

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateNode(node);
  if (old.spec?.podCIDR && node.spec?.podCIDR !== old.spec.podCIDR) {
    errs.push(field.forbidden(specPath.child('podCIDR'), 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && node.spec?.providerID !== old.spec.providerID) {
    errs.push(field.forbidden(specPath.child('providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

// ---- Endpoints ----

const endpointProtocols = ['SCTP', 'TCP', 'UDP'];

function validateEndpointPort(port: EndpointPort, requireName: boolean, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(field.required(path.child('name'), ''));
  else if (port.name) errs.push(...validateDNS1123Label(port.name, path.child('name')));
  for (const m of isValidPortNum(port.port)) errs.push(field.invalid(path.child('port'), port.port, m));
  if (!port.protocol) errs.push(field.required(path.child('protocol'), ''));
  else if (!endpointProtocols.includes(port.protocol)) errs.push(field.notSupported(path.child('protocol'), port.protocol, endpointProtocols));
  return errs;
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const sp = Path.of('subsets').index(i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(field.required(sp, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const key of ['addresses', 'notReadyAddresses'] as const) {
      (ss[key] ?? []).forEach((a, j) => {
        const ap = sp.child(key).index(j);
        for (const m of isValidIP(a.ip)) errs.push(field.invalid(ap.child('ip'), a.ip, m));
        if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, ap.child('hostname')));
        if (a.nodeName) for (const m of nameIsDNSSubdomain(a.nodeName, false)) errs.push(field.invalid(ap.child('nodeName'), a.nodeName, m));
      });
    }
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, sp.child('ports').index(j))));
  });
  return errs;
}

// ---- Event, Binding ----

export function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.involvedObject?.namespace;
  if (ns && ns !== ev.metadata?.namespace) errs.push(field.invalid(Path.of('involvedObject', 'namespace'), ns, 'does not match event.namespace'));
  if (ev.type && ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(field.invalid(Path.of('type'), ev.type, 'has invalid value: ' + ev.type));
  return errs;
}

export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  if (b.target?.kind && b.target.kind !== 'Node') errs.push(field.notSupported(Path.of('target', 'kind'), b.target.kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(field.required(Path.of('target', 'name'), ''));
  return errs;
}

// ---- LimitRange, ResourceQuota ----

const limitTypes = ['Container', 'Pod', 'PersistentVolumeClaim'];

export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  (lr.spec?.limits ?? []).forEach((limit, i) => {
    const ip = specPath.child('limits').index(i);
    const type = limit.type ?? '';
    if (seenTypes.has(type)) errs.push(field.duplicate(ip.child('type'), type));
    seenTypes.add(type);
    const parse = (key: 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio') => {
      const out = new Map<string, Quantity>();
      for (const name in limit[key] ?? {}) {
        const p = ip.child(key).key(name);
        if (type === 'Container' || type === 'Pod') errs.push(...validateContainerResourceName(name, p));
        else errs.push(...validateResourceName(name, p));
        const q = quantityAt(limit[key]?.[name], p, errs);
        if (q) {
          errs.push(...validateNonnegativeQuantity(q, p));
          out.set(name, q);
        }
      }
      return out;
    };
    const max = parse('max');
    const min = parse('min');
    if (type === 'Pod') {
      if (Object.keys(limit.default ?? {}).length > 0) errs.push(field.forbidden(ip.child('default'), "may not be specified when `type` is 'Pod'"));
      if (Object.keys(limit.defaultRequest ?? {}).length > 0) errs.push(field.forbidden(ip.child('defaultRequest'), "may not be specified when `type` is 'Pod'"));
    }
    const defaults = parse('default');
    const defaultRequests = parse('defaultRequest');
    const ratios = parse('maxLimitRequestRatio');
    const keys = new Set([...max.keys(), ...min.keys(), ...defaults.keys(), ...defaultRequests.keys(), ...ratios.keys()]);
    for (const k of keys) {
      const mn = min.get(k);
      const mx = max.get(k);
      const df = defaults.get(k);
      const dr = defaultRequests.get(k);
      const ratio = ratios.get(k);
      if (mn && mx && mn.cmp(mx) > 0) errs.push(field.invalid(ip.child('min').key(k), goQuantity(mn), `min value ${mn.toString()} is greater than max value ${mx.toString()}`));
      if (dr && mn && mn.cmp(dr) > 0) errs.push(field.invalid(ip.child('defaultRequest').key(k), goQuantity(dr), `min value ${mn.toString()} is greater than default request value ${dr.toString()}`));
      if (dr && mx && dr.cmp(mx) > 0) errs.push(field.invalid(ip.child('defaultRequest').key(k), goQuantity(dr), `default request value ${dr.toString()} is greater than max value ${mx.toString()}`));
      if (dr && df && dr.cmp(df) > 0) errs.push(field.invalid(ip.child('defaultRequest').key(k), goQuantity(dr), `default request value ${dr.toString()} is greater than default limit value ${df.toString()}`));
      if (df && mn && mn.cmp(df) > 0) errs.push(field.invalid(ip.child('default').key(k), goQuantity(mn), `min value ${mn.toString()} is greater than default value ${df.toString()}`));
      if (df && mx && df.cmp(mx) > 0) errs.push(field.invalid(ip.child('default').key(k), goQuantity(mx), `default value ${df.toString()} is greater than max value ${mx.toString()}`));
      if (ratio && ratio.cmpInt(1) < 0) errs.push(field.invalid(ip.child('maxLimitRequestRatio').key(k), goQuantity(ratio), `ratio ${ratio.toString()} is less than 1`));
      if (ratio && mn && mx) {
        const maxRatio = mx.asApproximateFloat() / mn.asApproximateFloat();
        if (ratio.asApproximateFloat() > maxRatio) {
          errs.push(field.invalid(ip.child('maxLimitRequestRatio').key(k), goQuantity(ratio), `ratio ${ratio.toString()} is greater than max/min = ${maxRatio.toFixed(6)}`));
        }
      }
    }
    if (!limitTypes.includes(type) && !type.includes('/')) errs.push(field.notSupported(ip.child('type'), type, limitTypes));
  });
  return errs;
}

const quotaScopes = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

export function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  for (const [base, list] of [
    [specPath.child('hard'), rq.spec?.hard],
    [Path.of('status', 'hard'), rq.status?.hard],
    [Path.of('status', 'used'), rq.status?.used],
  ] as const) {
    for (const name in list ?? {}) {
      const p = base.key(name);
      errs.push(...validateResourceName(name, p));
      const q = quantityAt(list?.[name], p, errs);
      if (q) errs.push(...validateResourceQuantityValue(name, q, p));
    }
  }
  (rq.spec?.scopes ?? []).forEach((s) => {
    if (!quotaScopes.includes(s)) errs.push(field.invalid(specPath.child('scopes'), s, 'unsupported scope'));
  });
  return errs;
}

// ---- PersistentVolume, PersistentVolumeClaim ----

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];
const reclaimPolicies = ['Delete', 'Recycle', 'Retain'];
const pvSources = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'glusterfs',
  'flexVolume',
  'nfs',
  'rbd',
  'quobyte',
  'cinder',
  'cephfs',
  'fc',
  'flocker',
  'iscsi',
  'azureFile',
  'vsphereVolume',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

function validateAccessModes(modes: readonly string[] | undefined, path: Path, requiredMsg: string): FieldError[] {
  const errs: FieldError[] = [];
  const m = modes ?? [];
  if (m.length === 0) errs.push(field.required(path, requiredMsg));
  for (const mode of m) if (!accessModes.includes(mode)) errs.push(field.notSupported(path, mode, accessModes));
  if (m.includes('ReadWriteOncePod') && m.length > 1) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const spec = pv.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, specPath.child('accessModes'), '');
  const capacity = spec.capacity ?? {};
  const capPath = specPath.child('capacity');
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(field.required(capPath, ''));
  if (!('storage' in capacity) || keys.length > 1) errs.push(field.notSupported(capPath, new GoValue(`core.ResourceList{${keys.map((k) => `${JSON.stringify(k)}:${capacity[k]}`).join(', ')}}`), ['storage']));
  for (const k of keys) {
    const q = quantityAt(capacity[k], capPath.key(k), errs);
    if (q) errs.push(...validatePositiveQuantityValue(q, capPath.key(k)));
  }
  if (spec.persistentVolumeReclaimPolicy && !reclaimPolicies.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(field.notSupported(specPath.child('persistentVolumeReclaimPolicy'), spec.persistentVolumeReclaimPolicy, reclaimPolicies));
  }
  if (spec.storageClassName) for (const m of nameIsDNSSubdomain(spec.storageClassName, false)) errs.push(field.invalid(specPath.child('storageClassName'), spec.storageClassName, m));
  if (spec.volumeMode && !volumeModes.includes(spec.volumeMode)) errs.push(field.notSupported(specPath.child('volumeMode'), spec.volumeMode, volumeModes));
  let n = 0;
  const src = spec as unknown as Record<string, unknown>;
  for (const name of pvSources) {
    if (src[name] == null) continue;
    if (n > 0) errs.push(field.forbidden(specPath.child(name), 'may not specify more than 1 volume type'));
    n++;
  }
  if (n === 0) errs.push(field.required(specPath, 'must specify a volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(field.required(specPath.child('hostPath', 'path'), ''));
  if (spec.local && !spec.local.path) errs.push(field.required(specPath.child('local', 'path'), ''));
  if (spec.local && !spec.nodeAffinity) errs.push(field.required(specPath.child('nodeAffinity'), 'Local volume requires node affinity'));
  return errs;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = validatePersistentVolume(pv);
  const srcOf = (v: PersistentVolume) => {
    const out: Record<string, unknown> = {};
    const s = (v.spec ?? {}) as unknown as Record<string, unknown>;
    for (const name of pvSources) if (s[name] != null) out[name] = s[name];
    return out;
  };
  if (!semanticEqual(srcOf(pv), srcOf(old))) errs.push(field.forbidden(specPath.child('persistentvolumesource'), 'spec.persistentvolumesource is forbidden once a volume is created'));
  errs.push(...validateImmutableField(pv.spec?.volumeMode, old.spec?.volumeMode, specPath.child('volumeMode'), pv.spec?.volumeMode ?? null));
  if (old.spec?.nodeAffinity) errs.push(...validateImmutableField(pv.spec?.nodeAffinity, old.spec.nodeAffinity, specPath.child('nodeAffinity'), new GoValue('&core.VolumeNodeAffinity{...}')));
  return errs;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  const spec = pvc.spec ?? {};
  const errs = validateAccessModes(spec.accessModes, specPath.child('accessModes'), 'at least 1 access mode is required');
  if (spec.selector) errs.push(...validateLabelSelector(spec.selector, specPath.child('selector')));
  const storagePath = specPath.child('resources').key('storage');
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(field.required(storagePath, ''));
  else {
    const q = quantityAt(storage, storagePath, errs);
    if (q) {
      const pos = validatePositiveQuantityValue(q, storagePath);
      errs.push(...(pos.length > 0 ? pos : validateResourceQuantityValue('storage', q, storagePath)));
    }
  }
  if (spec.storageClassName) for (const m of nameIsDNSSubdomain(spec.storageClassName, false)) errs.push(field.invalid(specPath.child('storageClassName'), spec.storageClassName, m));
  if (spec.volumeMode && !volumeModes.includes(spec.volumeMode)) errs.push(field.notSupported(specPath.child('volumeMode'), spec.volumeMode, volumeModes));
  return errs;
}

const pvcSpecGoFields: readonly [string, string][] = [
  ['accessModes', 'AccessModes'],
  ['selector', 'Selector'],
  ['resources', 'Resources'],
  ['volumeName', 'VolumeName'],
  ['storageClassName', 'StorageClassName'],
  ['volumeMode', 'VolumeMode'],
  ['dataSource', 'DataSource'],
  ['dataSourceRef', 'DataSourceRef'],
  ['volumeAttributesClassName', 'VolumeAttributesClassName'],
];

export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs = validatePersistentVolumeClaim(pvc);
  const next = { ...(pvc.spec ?? {}) };
  const prev = { ...(old.spec ?? {}) };
  // A claim bound by the controller gains volumeName; that is not a user change.
  if (!prev.volumeName && next.volumeName) prev.volumeName = next.volumeName;
  const bound = old.status?.phase === 'Bound';
  if (bound) {
    next.resources = { ...(next.resources ?? {}), requests: old.spec?.resources?.requests };
  }
  if (!semanticEqual(next, prev)) {
    errs.push(field.forbidden(specPath, `spec is immutable after creation except resources.requests for bound claims\n${specDiff('core.PersistentVolumeClaimSpec', pvcSpecGoFields, prev, next)}`));
  }
  if (bound) {
    const n = pvc.spec?.resources?.requests?.storage;
    const o = old.spec?.resources?.requests?.storage;
    if (n !== undefined && o !== undefined) {
      const scratch: FieldError[] = [];
      const nq = quantityAt(n, specPath, scratch);
      const oq = quantityAt(o, specPath, scratch);
      if (nq && oq && nq.cmp(oq) < 0) errs.push(field.forbidden(specPath.child('resources', 'requests', 'storage'), 'field can not be less than previous value'));
    }
  }
  return errs;
}

