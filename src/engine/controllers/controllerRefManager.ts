/**
 * ControllerRefManager — pkg/controller/controller_ref_manager.go: how a controller claims the objects
 * it manages (pods for a ReplicaSet, ReplicaSets for a Deployment, ControllerRevisions for a StatefulSet
 * or DaemonSet). Ownership is the controller ownerReference, and the selector decides it:
 *
 * - owned by us and matching: ours;
 * - owned by us but no longer matching: released (the ownerReference removed by a patch), unless we are
 *   being deleted;
 * - owned by another controller: left alone;
 * - an orphan that matches, is not being deleted and is in our namespace: adopted (the ownerReference
 *   added by a patch) — but first a fresh read of the controller confirms it still exists with the same
 *   UID and is not being deleted (RecheckDeletionTimestamp), checked once per claim.
 *
 * Patches carry the object's UID, so an object deleted and re-created under the same name is never
 * adopted or released by mistake. NotFound on a patch means the object is gone: not an error.
 */
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isInvalid, isNotFound } from '../api/errors.ts';
import type { Selector } from '../api/labels/selector.ts';
import type { KubeObject, ResourceClient } from '../client/rest/restClient.ts';
import { getControllerOf, messageOf } from './podControl.ts';

export interface ControllerRefManagerOptions<T extends KubeObject> {
  controller: KubeObject;
  /** The controller's apiVersion and kind, for the ownerReference. */
  apiVersion: string;
  kind: string;
  selector: Selector;
  /** Writes adoptions and releases. */
  client: ResourceClient<T>;
  /** Fresh read of the controller (not from a cache), for the adoption check. */
  getController: () => Promise<KubeObject>;
  /** Finalizers an adopted object gets and a released one loses (the Job's pod tracking finalizer). */
  finalizers?: readonly string[];
}

export class ControllerRefManager<T extends KubeObject> {
  private canAdoptResult: Promise<void> | undefined;

  constructor(private readonly options: ControllerRefManagerOptions<T>) {}

  /**
   * The objects this controller owns after adopting and releasing. Rejects (after claiming what it
   * could) with an aggregate of the errors other than NotFound, as Go returns both.
   */
  async claim(objects: readonly T[], filter: (object: T) => boolean = () => true): Promise<T[]> {
    const claimed: T[] = [];
    const errors: string[] = [];
    for (const object of objects) {
      try {
        if (await this.claimObject(object, filter)) claimed.push(object);
      } catch (error) {
        errors.push(messageOf(error));
      }
    }
    if (errors.length === 1) throw new Error(errors[0]);
    if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
    return claimed;
  }

  private get controllerUid(): string {
    return this.options.controller.metadata?.uid ?? '';
  }

  private get controllerBeingDeleted(): boolean {
    return Boolean(this.options.controller.metadata?.deletionTimestamp);
  }

  private async claimObject(object: T, filter: (object: T) => boolean): Promise<boolean> {
    const ref = getControllerOf(object);
    const matches = this.options.selector.matches(object.metadata?.labels ?? {}) && filter(object);
    if (ref) {
      if (ref.uid !== this.controllerUid) return false;
      if (matches) return true;
      if (this.controllerBeingDeleted) return false;
      await this.release(object);
      return false;
    }
    if (this.controllerBeingDeleted || !matches) return false;
    if (object.metadata?.deletionTimestamp) return false;
    if ((object.metadata?.namespace ?? '') !== (this.options.controller.metadata?.namespace ?? '')) return false;
    return this.adopt(object);
  }

  /** RecheckDeletionTimestamp, once per manager. */
  private canAdopt(): Promise<void> {
    this.canAdoptResult ??= (async () => {
      const fresh = await this.options.getController();
      const meta = this.options.controller.metadata ?? {};
      if (fresh.metadata?.uid !== meta.uid) throw new Error(`original ${meta.namespace}/${meta.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${meta.uid}`);
      if (fresh.metadata?.deletionTimestamp) throw new Error(`${meta.namespace}/${meta.name} has just been deleted at ${String(fresh.metadata.deletionTimestamp)}`);
    })();
    return this.canAdoptResult;
  }

  private async adopt(object: T): Promise<boolean> {
    const meta = object.metadata ?? {};
    try {
      await this.canAdopt();
    } catch (error) {
      throw new Error(`can't adopt ${this.options.client.gvr.resource.replace(/s$/, '')} ${meta.namespace}/${meta.name} (${meta.uid}): ${messageOf(error)}`, { cause: error });
    }
    const c = this.options.controller.metadata ?? {};
    const ref: OwnerReference = { apiVersion: this.options.apiVersion, kind: this.options.kind, name: c.name ?? '', uid: c.uid ?? '', controller: true, blockOwnerDeletion: true };
    try {
      const finalizers = this.options.finalizers?.length ? { finalizers: [...this.options.finalizers] } : {};
      await this.options.client.patch(meta.namespace ?? '', meta.name ?? '', 'strategic', { metadata: { ownerReferences: [ref], uid: meta.uid, ...finalizers } });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    return true;
  }

  private async release(object: T): Promise<void> {
    const meta = object.metadata ?? {};
    try {
      const finalizers = this.options.finalizers?.length ? { '$deleteFromPrimitiveList/finalizers': [...this.options.finalizers] } : {};
      await this.options.client.patch(meta.namespace ?? '', meta.name ?? '', 'strategic', { metadata: { ownerReferences: [{ $patch: 'delete', uid: this.controllerUid }], uid: meta.uid, ...finalizers } });
    } catch (error) {
      // Gone, or re-created so that the UID no longer matches (Invalid): either way no longer ours.
      if (isNotFound(error) || isInvalid(error)) return;
      throw error;
    }
  }
}
