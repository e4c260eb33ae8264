/**
 * PersistentVolume, PersistentVolumeClaim and StorageClass as kubectl 1.32 describes them
 * (pkg/describe): class, status (or `Terminating (lasts …)`), claim, reclaim policy, access modes
 * (storageutil's RWO, ROX, RWX, RWOP), capacity, node affinity, source; a claim's volume, capacity,
 * `Used By` pods, conditions; a class's default flag, provisioner, parameters, policies, topologies.
 *
 * Left out: PV sources the lab cannot run print `<unknown>` (as containers.ts's volume sources).
 */
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { formatLabels } from '../../../../api/labels/selector.ts';
import { parseQuantity } from '../../../../api/resource/quantity.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './prefixWriter.ts';
import { byString, goStrings, printAnnotationsMultiline, printBool, printLabelsMultiline, rfc1123z, since } from './metadata.ts';
import { claimClass } from './containers.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

/** storageutil.GetAccessModesAsString */
function accessModes(modes: readonly string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has('ReadWriteOnce')) out.push('RWO');
  if (m.has('ReadOnlyMany')) out.push('ROX');
  if (m.has('ReadWriteMany')) out.push('RWX');
  if (m.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

function quantity(v: unknown): string {
  return v === undefined ? '0' : parseQuantity(String(v)).toString();
}

export function describePersistentVolume(pv: PersistentVolume, ctx: DescribeContext): string {
  return tabbedString((w) => {
    const spec = pv.spec ?? {};
    const meta = pv.metadata ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goStrings(meta.finalizers)}\n`);
    w.write(LEVEL_0, `StorageClass:\t${meta.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName ?? ''}\n`);
    if (meta.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pv.status?.phase ?? ''}\n`);
    w.write(LEVEL_0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : ''}\n`);
    w.write(LEVEL_0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
    w.write(LEVEL_0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
    if (spec.volumeMode !== undefined) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
    w.write(LEVEL_0, `Capacity:\t${quantity(spec.capacity?.['storage'])}\n`);
    w.write(LEVEL_0, 'Node Affinity:\t');
    const required = spec.nodeAffinity?.required;
    if (!required) {
      w.writeLine('<none>');
    } else {
      w.writeLine('');
      w.write(LEVEL_1, 'Required Terms:\t');
      if (required.nodeSelectorTerms.length === 0) w.writeLine('<none>');
      else {
        w.writeLine('');
        required.nodeSelectorTerms.forEach((term, i) => {
          w.write(LEVEL_2, `Term ${i}:\t`);
          const reqs = term.matchExpressions ?? [];
          if (reqs.length === 0) w.writeLine('<none>');
          reqs.forEach((r, j) => {
            if (j !== 0) w.write(LEVEL_2, '\t');
            let expr = `${r.key} ${r.operator.toLowerCase()}`;
            if ((r.values ?? []).length > 0) expr += ` [${r.values!.join(', ')}]`;
            w.write(LEVEL_0, `${expr}\n`);
          });
        });
      }
    }
    w.write(LEVEL_0, `Message:\t${pv.status?.message ?? ''}\n`);
    w.write(LEVEL_0, 'Source:\n');
    if (spec.hostPath) {
      w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type ?? '<none>'}\n`);
    } else if (spec.nfs) {
      w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${spec.nfs.readOnly === true}\n`);
    } else if (spec.local) {
      w.write(LEVEL_2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
    } else if (spec.csi) {
      w.write(LEVEL_2, `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${spec.csi.driver}\n    FSType:\t${spec.csi.fsType ?? ''}\n    VolumeHandle:\t${spec.csi.volumeHandle}\n    ReadOnly:\t${spec.csi.readOnly === true}\n`);
      const attrs = spec.csi.volumeAttributes ?? {};
      const keys = Object.keys(attrs).sort();
      w.write(LEVEL_2, 'VolumeAttributes:\t');
      if (keys.length === 0) w.writeLine('<none>');
      keys.forEach((k, i) => {
        if (i !== 0) w.write(LEVEL_2, '\t');
        const line = `${k}=${attrs[k]}`;
        w.write(LEVEL_2, line.length > 140 ? `${line.slice(0, 140)}...\n` : `${line}\n`);
      });
    } else {
      w.write(LEVEL_1, '<unknown>\n');
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

/** getPodsForPVC: pods of the namespace that mount the claim, then pods that own it. */
function podsForClaim(pvc: PersistentVolumeClaim, ctx: DescribeContext): Pod[] {
  const nsPods = ctx.related('', 'pods', pvc.metadata?.namespace ?? '') as Pod[];
  const pods: Pod[] = [];
  for (const pod of nsPods) {
    for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName === pvc.metadata?.name) pods.push(pod);
  }
  for (const ref of (pvc.metadata?.ownerReferences ?? []).filter((r) => r.kind === 'Pod')) {
    const owner = nsPods.find((p) => p.metadata?.uid === ref.uid);
    if (owner && !pods.some((p) => p.metadata?.uid === owner.metadata?.uid)) pods.push(owner);
  }
  return pods;
}

export function describePersistentVolumeClaim(pvc: PersistentVolumeClaim, ctx: DescribeContext): string {
  const pods = podsForClaim(pvc, ctx).sort(byString((p) => p.metadata?.name ?? ''));
  return tabbedString((w) => {
    const meta = pvc.metadata ?? {};
    const spec = pvc.spec ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    w.write(LEVEL_0, `StorageClass:\t${claimClass(pvc)}\n`);
    if (meta.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pvc.status?.phase ?? ''}\n`);
    w.write(LEVEL_0, `Volume:\t${spec.volumeName ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goStrings(meta.finalizers)}\n`);
    let capacity = '';
    let modes = '';
    if (spec.volumeName) {
      modes = accessModes(pvc.status?.accessModes);
      capacity = quantity(pvc.status?.capacity?.['storage']);
    }
    w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
    w.write(LEVEL_0, `Access Modes:\t${modes}\n`);
    if (spec.volumeMode !== undefined) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
    if (spec.dataSource) {
      w.write(LEVEL_0, 'DataSource:\n');
      if (spec.dataSource.apiGroup !== undefined) w.write(LEVEL_1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
      w.write(LEVEL_1, `Kind:\t${spec.dataSource.kind}\n`);
      w.write(LEVEL_1, `Name:\t${spec.dataSource.name}\n`);
    }
    w.write(LEVEL_0, 'Used By:\t');
    if (pods.length === 0) w.writeLine('<none>');
    pods.forEach((p, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${p.metadata?.name ?? ''}\n`);
    });
    const conditions = pvc.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

/** storageutil.IsDefaultAnnotationText */
function isDefaultClass(sc: StorageClass): string {
  const a = sc.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true' ? 'Yes' : 'No';
}

/** describeStorageClass: annotations and parameters as one `k=v,…` line each. */
export function describeStorageClass(sc: StorageClass, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${sc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefaultClass(sc)}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(sc.metadata?.annotations)}\n`);
    w.write(LEVEL_0, `Provisioner:\t${sc.provisioner}\n`);
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined ? '<unset>' : printBool(sc.allowVolumeExpansion)}\n`);
    if ((sc.mountOptions ?? []).length === 0) {
      w.write(LEVEL_0, 'MountOptions:\t<none>\n');
    } else {
      w.write(LEVEL_0, 'MountOptions:\n');
      for (const o of sc.mountOptions!) w.write(LEVEL_1, `${o}\n`);
    }
    if (sc.reclaimPolicy !== undefined) w.write(LEVEL_0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
    if (sc.volumeBindingMode !== undefined) w.write(LEVEL_0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
    if (sc.allowedTopologies !== undefined) {
      w.write(LEVEL_0, 'AllowedTopologies:\t');
      if (sc.allowedTopologies.length === 0) {
        w.writeLine('<none>');
      } else {
        w.writeLine('');
        sc.allowedTopologies.forEach((term, i) => {
          w.write(LEVEL_1, `Term ${i}:\t`);
          const reqs = term.matchLabelExpressions ?? [];
          if (reqs.length === 0) w.writeLine('<none>');
          reqs.forEach((r, j) => {
            if (j !== 0) w.write(LEVEL_1, '\t');
            w.write(LEVEL_0, `${r.key} in${r.values.length > 0 ? ` [${r.values.join(', ')}]` : ''}\n`);
          });
        });
      }
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}
