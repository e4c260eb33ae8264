/**
 * The PersistentVolume binder — pkg/controller/volume/persistentvolume (pv_controller.go,
 * index.go): statically provisioned volumes meet claims.
 *
 * syncVolume: a volume with no claimRef is Available; one whose claim is gone is Released (Retain) or,
 * with the Delete policy, deleted (there is no real storage behind it to clean). syncClaim: an unbound
 * claim is bound to the smallest Available volume that satisfies it — same storageClassName, the
 * requested access modes, volumeMode, the label selector, at least the requested capacity — both sides
 * written as upstream does (the volume's claimRef and `pv.kubernetes.io/bound-by-controller`, the claim's
 * volumeName, `pv.kubernetes.io/bind-completed`, phase Bound, capacity and access modes). A claim whose
 * class binds on first consumer waits (`WaitForFirstConsumer`); one nothing can satisfy gets upstream's
 * FailedBinding event.
 * Left out: dynamic provisioning (the lab has no provisioner), volume expansion, the protection finalizers.
 */
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { parseQuantity } from '../../api/resource/quantity.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

type PvObject = PersistentVolume & KubeObject;
type PvcObject = PersistentVolumeClaim & KubeObject;
type ScObject = StorageClass & KubeObject;

export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';

function storageClassOf(obj: PersistentVolume | PersistentVolumeClaim): string {
  return obj.spec?.storageClassName ?? '';
}

/** findBestMatchForClaim: the smallest Available volume that satisfies the claim. */
export function findBestMatch(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[]): PersistentVolume | undefined {
  const requested = parseQuantity(String(claim.spec?.resources?.requests?.storage ?? '0'));
  const modes = claim.spec?.accessModes ?? [];
  const selector = claim.spec?.selector ? labelSelectorAsSelector(claim.spec.selector) : undefined;
  let best: PersistentVolume | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef || pv.metadata?.deletionTimestamp || (pv.status?.phase && pv.status.phase !== 'Available')) continue;
    if (storageClassOf(pv) !== storageClassOf(claim)) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) continue;
    if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    const capacity = parseQuantity(String(pv.spec?.capacity?.storage ?? '0'));
    if (capacity.cmp(requested) < 0) continue;
    if (!best || capacity.cmp(parseQuantity(String(best.spec?.capacity?.storage ?? '0'))) < 0) best = pv;
  }
  return best;
}

export class PersistentVolumeController implements Controller {
  readonly volumeQueue: RateLimitingQueue<string>;
  readonly claimQueue: RateLimitingQueue<string>;
  private readonly pvs: SharedIndexInformer<PvObject>;
  private readonly pvcs: SharedIndexInformer<PvcObject>;
  private readonly classes: SharedIndexInformer<ScObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.volumeQueue = new RateLimitingQueue<string>(ctx.clock, { name: 'volumes' });
    this.claimQueue = new RateLimitingQueue<string>(ctx.clock, { name: 'claims' });
    this.pvs = ctx.informers.informerFor<PvObject>(RESOURCES.persistentvolumes);
    this.pvcs = ctx.informers.informerFor<PvcObject>(RESOURCES.persistentvolumeclaims);
    this.classes = ctx.informers.informerFor<ScObject>(RESOURCES.storageclasses);
    this.recorder = ctx.recorder('persistentvolume-controller');
    const volume = (pv: PvObject | DeletedFinalStateUnknown<PvObject>) => {
      const o = pv instanceof DeletedFinalStateUnknown ? pv.obj : pv;
      if (!o) return;
      this.volumeQueue.add(o.metadata?.name ?? '');
      // A volume appearing or freed may satisfy a waiting claim.
      for (const claim of this.pvcs.getStore().list()) if (!claim.spec?.volumeName) this.claimQueue.add(metaNamespaceKeyFunc(claim));
    };
    this.pvs.addEventHandler({ onAdd: volume, onUpdate: (_o, n) => volume(n), onDelete: volume });
    const claim = (pvc: PvcObject | DeletedFinalStateUnknown<PvcObject>) => {
      const o = pvc instanceof DeletedFinalStateUnknown ? pvc.obj : pvc;
      if (!o) return;
      this.claimQueue.add(metaNamespaceKeyFunc(o));
      if (o.spec?.volumeName) this.volumeQueue.add(o.spec.volumeName);
    };
    this.pvcs.addEventHandler({ onAdd: claim, onUpdate: (_o, n) => claim(n), onDelete: claim });
  }

  async run(workers: number): Promise<void> {
    for (const i of [this.pvs, this.pvcs, this.classes]) if (!(await i.waitForSync())) return;
    const onError = (kind: string) => (key: string, error: unknown) => this.ctx.handleError(new Error(`could not sync ${kind} "${key}": ${messageOf(error)}`));
    await Promise.all([runWorkers(this.volumeQueue, workers, (k) => this.syncVolume(k), { onError: onError('volume') }), runWorkers(this.claimQueue, workers, (k) => this.syncClaim(k), { onError: onError('claim') })]);
  }

  shutdown(): void {
    this.volumeQueue.shutDown();
    this.claimQueue.shutDown();
  }

  private async writeStatus<T extends KubeObject>(resource: typeof RESOURCES.persistentvolumes | typeof RESOURCES.persistentvolumeclaims, obj: T): Promise<T | undefined> {
    try {
      return await this.ctx.client.resource<T>(resource).updateStatus(obj.metadata?.namespace ?? '', obj);
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }

  async syncVolume(name: string): Promise<void> {
    const pv = this.pvs.lister().get(name);
    if (!pv || pv.metadata?.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref) {
      if (pv.status?.phase !== 'Available') await this.writeStatus(RESOURCES.persistentvolumes, { ...pv, status: { ...pv.status, phase: 'Available' } });
      return;
    }
    const claim = this.pvcs.lister().byNamespace(ref.namespace ?? '').get(ref.name ?? '');
    if (claim && (!ref.uid || claim.metadata?.uid === ref.uid)) {
      if (claim.spec?.volumeName === name && pv.status?.phase !== 'Bound') await this.writeStatus(RESOURCES.persistentvolumes, { ...pv, status: { ...pv.status, phase: 'Bound' } });
      return;
    }
    // The claim is gone: reclaim.
    if (!ref.uid) return;
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      try {
        await this.ctx.client.resource<PvObject>(RESOURCES.persistentvolumes).delete('', name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      return;
    }
    if (pv.status?.phase !== 'Released') await this.writeStatus(RESOURCES.persistentvolumes, { ...pv, status: { ...pv.status, phase: 'Released' } });
  }

  async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.pvcs.lister().byNamespace(namespace).get(name);
    if (!claim || claim.metadata?.deletionTimestamp) return;
    if (claim.spec?.volumeName) {
      const pv = this.pvs.lister().get(claim.spec.volumeName);
      if (pv && pv.spec?.claimRef?.uid === claim.metadata?.uid && claim.status?.phase !== 'Bound') await this.claimBound(claim, pv);
      if (!pv && claim.status?.phase === 'Bound') await this.writeStatus(RESOURCES.persistentvolumeclaims, { ...claim, status: { ...claim.status, phase: 'Lost' } });
      return;
    }
    const sc = this.classes.lister().get(storageClassOf(claim));
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer') {
      this.recorder.event(claim, EVENT_TYPE_NORMAL, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const pv = findBestMatch(claim, this.pvs.getStore().list());
    if (!pv) {
      const message = storageClassOf(claim) ? `storageclass.storage.k8s.io "${storageClassOf(claim)}" not found` : 'no persistent volumes available for this claim and no storage class is set';
      if (!sc) this.recorder.event(claim, storageClassOf(claim) ? 'Warning' : EVENT_TYPE_NORMAL, storageClassOf(claim) ? 'ProvisioningFailed' : 'FailedBinding', message);
      return;
    }
    // bindVolumeToClaim, then bindClaimToVolume, each written before the next (upstream's order).
    const boundPv: PvObject = {
      ...(pv as PvObject),
      metadata: { ...pv.metadata, annotations: { ...pv.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } },
      spec: { ...pv.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace, name, uid: claim.metadata?.uid, apiVersion: 'v1', resourceVersion: claim.metadata?.resourceVersion } },
    };
    let written: PvObject;
    try {
      written = await this.ctx.client.resource<PvObject>(RESOURCES.persistentvolumes).update('', boundPv);
    } catch (error) {
      if (isConflict(error)) {
        this.claimQueue.addRateLimited(key);
        return;
      }
      throw error;
    }
    await this.writeStatus(RESOURCES.persistentvolumes, { ...written, status: { ...written.status, phase: 'Bound' } });
    const boundClaim: PvcObject = {
      ...claim,
      metadata: { ...claim.metadata, annotations: { ...claim.metadata?.annotations, [ANN_BIND_COMPLETED]: 'yes', [ANN_BOUND_BY_CONTROLLER]: 'yes' } },
      spec: { ...claim.spec, volumeName: pv.metadata?.name },
    };
    const claimWritten = await this.ctx.client.resource<PvcObject>(RESOURCES.persistentvolumeclaims).update(namespace, boundClaim);
    await this.claimBound(claimWritten, written);
  }

  private async claimBound(claim: PvcObject, pv: PersistentVolume): Promise<void> {
    await this.writeStatus(RESOURCES.persistentvolumeclaims, { ...claim, status: { ...claim.status, phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: pv.spec?.capacity } });
  }
}

export const persistentVolumeControllerDescriptor: ControllerDescriptor = {
  name: 'persistentvolume-binder-controller',
  workers: 1,
  init: (ctx) => new PersistentVolumeController(ctx),
};
