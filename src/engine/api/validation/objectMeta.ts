/**
 * ObjectMeta — k8s.io/apimachinery/pkg/api/validation/objectmeta.go with the core additions of
 * pkg/apis/core/validation (finalizer names must be standard or fully qualified): name and
 * generateName, namespace presence, generation, labels, annotations (keys and the 256 KiB total),
 * ownerReferences, finalizers; on update the immutable identity fields, a required resourceVersion
 * and no new finalizers once deletion started.
 *
 * Left out: managedFields validation (the lab's server-side apply owns that structure).
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isQualifiedName } from './formats.ts';
import { byteLength, nameIsDNSLabel, tooLong, validateImmutableField, validateNonnegativeField, type NameFn } from './generic.ts';
import { GoValue, goStringSlice } from './goSyntax.ts';
import { validateLabels } from './labels.ts';

export const TotalAnnotationSizeLimitB = 256 * (1 << 10);

const metadataPath = Path.of('metadata');

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size at most 256 KiB. */
export function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined | null, path: Path): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];
  let total = 0;
  for (const k in annotations) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, m));
    total += byteLength(k) + byteLength(annotations[k] ?? '');
  }
  if (total > TotalAnnotationSizeLimitB) errs.push(tooLong(path, TotalAnnotationSizeLimitB));
  return errs;
}

/** schema.ParseGroupVersion as FromAPIVersionAndKind uses it: [group, version], both empty on error. */
function parseGroupVersion(apiVersion: string): [string, string] {
  if (apiVersion === '' || apiVersion === '/') return ['', ''];
  const parts = apiVersion.split('/');
  if (parts.length === 1) return ['', parts[0]!];
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return ['', ''];
}

function goOwnerReference(r: OwnerReference): GoValue {
  const ptrBool = (b: boolean | undefined) => (b === undefined ? '(*bool)(nil)' : `(*bool)(${String(b)})`);
  return new GoValue(
    `v1.OwnerReference{APIVersion:${JSON.stringify(r.apiVersion ?? '')}, Kind:${JSON.stringify(r.kind ?? '')}, Name:${JSON.stringify(r.name ?? '')}, UID:${JSON.stringify(r.uid ?? '')}, Controller:${ptrBool(r.controller)}, BlockOwnerDeletion:${ptrBool(r.blockOwnerDeletion)}}`,
  );
}

/** ValidateOwnerReferences. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: Path): FieldError[] {
  if (!refs) return [];
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs) {
    const [group, version] = parseGroupVersion(ref.apiVersion ?? '');
    if (version === '') errs.push(field.invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(field.invalid(path.child('kind'), ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(field.invalid(path.child('name'), ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(field.invalid(path.child('uid'), ref.uid ?? '', 'must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errs.push(field.invalid(path, goOwnerReference(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController !== '') {
        errs.push(
          field.invalid(
            path,
            new GoValue(`[]v1.OwnerReference{${refs.map((r) => goOwnerReference(r).toString()).join(', ')}}`),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  }
  return errs;
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** ValidateFinalizers plus core's validateKubeFinalizerName. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: Path): FieldError[] {
  if (!finalizers) return [];
  const errs: FieldError[] = [];
  let orphan = false;
  let foreground = false;
  for (const f of finalizers) {
    for (const m of isQualifiedName(f)) errs.push(field.invalid(path, f, m));
    if (f === 'orphan') orphan = true;
    if (f === 'foregroundDeletion') foreground = true;
  }
  if (orphan && foreground) errs.push(field.invalid(path, goStringSlice(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  finalizers.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, path.index(i))));
  return errs;
}

/** validateKubeFinalizerName: a finalizer without a `/` must be one of the standard names. */
export function validateKubeFinalizerName(name: string, path: Path): FieldError[] {
  if (!name.includes('/') && !standardFinalizers.has(name)) {
    return [field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** ValidateObjectMeta on create: `metadata.*` errors for a kind with the given name rule. */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameFn: NameFn, path: Path = metadataPath): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) errs.push(field.invalid(path.child('generateName'), m.generateName, msg));
  }
  if (!m.name) errs.push(field.required(path.child('name'), 'name or generateName is required'));
  else for (const msg of nameFn(m.name, false)) errs.push(field.invalid(path.child('name'), m.name, msg));
  if (namespaced) {
    if (!m.namespace) errs.push(field.required(path.child('namespace'), ''));
    else for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(field.invalid(path.child('namespace'), m.namespace, msg));
  } else if (m.namespace) {
    errs.push(field.forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(m.generation ?? 0, path.child('generation')));
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

/** metav1.Time's String(): `2024-01-02 03:04:05 +0000 UTC`. */
function goTime(t: string | undefined): GoValue {
  if (!t) return new GoValue('0001-01-01 00:00:00 +0000 UTC');
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(t);
  return new GoValue(m ? `${m[1]} ${m[2]} +0000 UTC` : t);
}

/** ValidateObjectMetaUpdate. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, path: Path = metadataPath): FieldError[] {
  const n = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !before.has(f)))].sort();
    if (extra.length > 0) {
      errs.push(field.forbidden(path.child('finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra).toString()}`));
    }
  }
  if (!n.resourceVersion) errs.push(field.invalid(path.child('resourceVersion'), n.resourceVersion ?? '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(field.invalid(path.child('generation'), n.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(n.name ?? '', o.name ?? '', path.child('name')));
  errs.push(...validateImmutableField(n.namespace ?? '', o.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutableField(n.uid ?? '', o.uid ?? '', path.child('uid')));
  errs.push(...validateImmutableField(n.creationTimestamp, o.creationTimestamp, path.child('creationTimestamp'), goTime(n.creationTimestamp)));
  errs.push(...validateImmutableField(n.deletionTimestamp, o.deletionTimestamp, path.child('deletionTimestamp'), n.deletionTimestamp ? goTime(n.deletionTimestamp) : null));
  errs.push(...validateImmutableField(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, path.child('deletionGracePeriodSeconds'), n.deletionGracePeriodSeconds ?? null));
  errs.push(...validateLabels(n.labels, path.child('labels')));
  errs.push(...validateAnnotations(n.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, path.child('ownerReferences')));
  (n.finalizers ?? []).forEach((f, i) => errs.push(...validateKubeFinalizerName(f, path.child('finalizers').index(i))));
  return errs;
}
