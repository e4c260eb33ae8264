/**
 * Volumes — the volume checks of pkg/apis/core/validation: `ValidateVolumes` (names, exactly one
 * source, each source's required fields), `ValidateVolumeMounts` (mounts must name a volume, unique
 * mount paths, relative subPaths) and the path helpers they share.
 *
 * Contract: returns errors at upstream's paths (`spec.volumes[0].configMap.name`,
 * `spec.containers[0].volumeMounts[0].name: Not found: "data"`). `validateVolumes` also returns the
 * names of the volumes that validated, which mounts are checked against.
 *
 * Left out: the in-tree cloud volume sources' own field rules (they only count as "a volume type"),
 * volumeDevices of block PVCs beyond name lookups, recursiveReadOnly, image volumes (alpha in 1.32).
 */
import type { KeyToPath, Volume, VolumeMount } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../field/errors.ts';
import type { Path } from '../field/path.ts';
import { isConfigMapKey } from './formats.ts';
import { nameIsDNSSubdomain, validateDNS1123Label } from './generic.ts';
import { quantityAt } from './resources.ts';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** The volume source fields, in the order validateVolumeSource visits them. */
const volumeSources = [
  'hostPath',
  'emptyDir',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'quobyte',
  'cinder',
  'cephfs',
  'downwardAPI',
  'fc',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'configMap',
  'csi',
  'ephemeral',
  'image',
] as const;

const hostPathTypes = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];

/** validatePathNoBacksteps. */
export function validatePathNoBacksteps(target: string, path: Path): FieldError[] {
  return target.split('/').includes('..') ? [field.invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, no `..`. */
export function validateLocalDescendingPath(target: string, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(field.invalid(path, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, path));
  return errs;
}

/** validateLocalNonReservedPath: also may not start with `..`. */
function validateLocalNonReservedPath(target: string, path: Path): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(field.invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateMode(mode: number | undefined, path: Path): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [field.invalid(path, mode, fileModeErrorMsg)] : [];
}

function validateKeyToPath(item: KeyToPath, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!item.key) errs.push(field.required(path.child('key'), ''));
  if (!item.path) errs.push(field.required(path.child('path'), ''));
  errs.push(...validateLocalNonReservedPath(item.path ?? '', path.child('path')));
  errs.push(...validateMode(item.mode, path.child('mode')));
  return errs;
}

/** validateVolumeSource: exactly one source, and that source's own fields. */
function validateVolumeSource(vol: Volume, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  let numVolumes = 0;
  const src = vol as unknown as Record<string, unknown>;
  for (const name of volumeSources) {
    if (src[name] == null) continue;
    if (numVolumes > 0) {
      errs.push(field.forbidden(path.child(name), 'may not specify more than 1 volume type'));
      continue;
    }
    numVolumes++;
    errs.push(...validateOneSource(vol, name, path.child(name)));
  }
  if (numVolumes === 0) errs.push(field.required(path, 'must specify a volume type'));
  return errs;
}

function validateOneSource(vol: Volume, name: (typeof volumeSources)[number], p: Path): FieldError[] {
  const errs: FieldError[] = [];
  switch (name) {
    case 'hostPath': {
      const hp = vol.hostPath!;
      if (!hp.path) errs.push(field.required(p.child('path'), ''));
      else errs.push(...validatePathNoBacksteps(hp.path, p.child('path')));
      if (hp.type !== undefined && !hostPathTypes.includes(hp.type)) errs.push(field.notSupported(p.child('type'), hp.type, hostPathTypes));
      break;
    }
    case 'emptyDir': {
      const ed = vol.emptyDir!;
      if (ed.sizeLimit !== undefined) {
        const q = quantityAt(ed.sizeLimit, p.child('sizeLimit'), errs);
        if (q && q.sign() < 0) errs.push(field.forbidden(p.child('sizeLimit'), 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    }
    case 'secret': {
      const s = vol.secret!;
      if (!s.secretName) errs.push(field.required(p.child('secretName'), ''));
      errs.push(...validateMode(s.defaultMode, p.child('defaultMode')));
      s.items?.forEach((it, i) => errs.push(...validateKeyToPath(it, p.child('items').index(i))));
      break;
    }
    case 'configMap': {
      const c = vol.configMap!;
      if (!c.name) errs.push(field.required(p.child('name'), ''));
      else for (const m of nameIsDNSSubdomain(c.name, false)) errs.push(field.invalid(p.child('name'), c.name, m));
      errs.push(...validateMode(c.defaultMode, p.child('defaultMode')));
      c.items?.forEach((it, i) => errs.push(...validateKeyToPath(it, p.child('items').index(i))));
      break;
    }
    case 'persistentVolumeClaim':
      if (!vol.persistentVolumeClaim!.claimName) errs.push(field.required(p.child('claimName'), ''));
      break;
    case 'nfs': {
      const n = vol.nfs!;
      if (!n.server) errs.push(field.required(p.child('server'), ''));
      if (!n.path) errs.push(field.required(p.child('path'), ''));
      else if (!n.path.startsWith('/')) errs.push(field.invalid(p.child('path'), n.path, 'must be an absolute path'));
      break;
    }
    case 'downwardAPI': {
      const d = vol.downwardAPI!;
      errs.push(...validateMode(d.defaultMode, p.child('defaultMode')));
      d.items?.forEach((it, i) => {
        const ip = p.child('items').index(i);
        if (!it.path) errs.push(field.required(ip.child('path'), ''));
        errs.push(...validateLocalNonReservedPath(it.path ?? '', ip.child('path')));
        errs.push(...validateMode(it.mode, ip.child('mode')));
        if (it.fieldRef && it.resourceFieldRef) errs.push(field.invalid(ip, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
        else if (!it.fieldRef && !it.resourceFieldRef) errs.push(field.required(ip, 'one of fieldRef and resourceFieldRef is required'));
      });
      break;
    }
    case 'projected': {
      const pr = vol.projected!;
      errs.push(...validateMode(pr.defaultMode, p.child('defaultMode')));
      pr.sources?.forEach((s, i) => {
        const sp = p.child('sources').index(i);
        let n = 0;
        if (s.secret) {
          n++;
          if (!s.secret.name) errs.push(field.required(sp.child('secret', 'name'), ''));
          s.secret.items?.forEach((it, j) => errs.push(...validateKeyToPath(it, sp.child('secret', 'items').index(j))));
        }
        if (s.configMap) {
          n++;
          if (!s.configMap.name) errs.push(field.required(sp.child('configMap', 'name'), ''));
          s.configMap.items?.forEach((it, j) => errs.push(...validateKeyToPath(it, sp.child('configMap', 'items').index(j))));
        }
        if (s.downwardAPI) n++;
        if (s.serviceAccountToken) {
          n++;
          const t = s.serviceAccountToken;
          if ((t.expirationSeconds ?? 3600) < 10 * 60) {
            errs.push(field.invalid(sp.child('serviceAccountToken', 'expirationSeconds'), t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
          }
          if (!t.path) errs.push(field.required(sp.child('serviceAccountToken', 'path'), ''));
        }
        if (s.clusterTrustBundle) n++;
        if (n > 1) errs.push(field.forbidden(sp, 'may not specify more than 1 volume type per source'));
      });
      break;
    }
    case 'csi':
      if (!vol.csi!.driver) errs.push(field.required(p.child('driver'), ''));
      break;
    default:
      break;
  }
  return errs;
}

/** ValidateVolumes: returns the errors and the names of the volumes that validated. */
export function validateVolumes(volumes: readonly Volume[] | undefined, path: Path): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((vol, i) => {
    const idx = path.index(i);
    const namePath = idx.child('name');
    const el = validateVolumeSource(vol, idx);
    if (!vol.name) el.push(field.required(namePath, ''));
    else el.push(...validateDNS1123Label(vol.name, namePath));
    if (names.has(vol.name)) el.push(field.duplicate(namePath, vol.name));
    if (el.length === 0) names.add(vol.name);
    else errs.push(...el);
  });
  return { errs, names };
}

const mountPropagationModes = ['None', 'HostToContainer', 'Bidirectional'];

/** ValidateVolumeMounts (including upstream's quirk of reporting subPath at the list's path). */
export function validateVolumeMounts(mounts: readonly VolumeMount[] | undefined, volumes: ReadonlySet<string>, devices: ReadonlySet<string>, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const mountpoints = new Set<string>();
  (mounts ?? []).forEach((mnt, i) => {
    const idx = path.index(i);
    if (!mnt.name) errs.push(field.required(idx.child('name'), ''));
    if (!volumes.has(mnt.name)) errs.push(field.notFound(idx.child('name'), mnt.name ?? ''));
    if (!mnt.mountPath) errs.push(field.required(idx.child('mountPath'), ''));
    if (mountpoints.has(mnt.mountPath)) errs.push(field.invalid(idx.child('mountPath'), mnt.mountPath, 'must be unique'));
    mountpoints.add(mnt.mountPath);
    if (devices.has(mnt.name)) errs.push(field.invalid(idx.child('name'), mnt.name, 'must not already exist in volumeDevices'));
    if (mnt.subPath) errs.push(...validateLocalDescendingPath(mnt.subPath, path.child('subPath')));
    if (mnt.subPathExpr) {
      if (mnt.subPath) errs.push(field.invalid(idx.child('subPathExpr'), mnt.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(mnt.subPathExpr, path.child('subPathExpr')));
    }
    if (mnt.mountPropagation !== undefined && !mountPropagationModes.includes(mnt.mountPropagation)) {
      errs.push(field.notSupported(path.child('mountPropagation'), mnt.mountPropagation, mountPropagationModes));
    }
  });
  return errs;
}

/** validateConfigMapKeySelector / validateSecretKeySelector. */
export function validateKeySelector(sel: { name?: string; key: string }, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of nameIsDNSSubdomain(sel.name ?? '', false)) errs.push(field.invalid(path.child('name'), sel.name ?? '', m));
  if (!sel.key) errs.push(field.required(path.child('key'), ''));
  else for (const m of isConfigMapKey(sel.key)) errs.push(field.invalid(path.child('key'), sel.key, m));
  return errs;
}

