/**
 * PodControl — controller_utils.go's RealPodControl: how workload controllers create pods from a
 * template and delete them, recording the events `kubectl describe` shows on the owner
 * (`SuccessfulCreate  Created pod: web-7d4b9c8f5-x2x9k`, `SuccessfulDelete  Deleted pod: …`,
 * `FailedCreate  Error creating: …`).
 *
 * A pod made from a template gets the template's labels, annotations and finalizers, `generateName`
 * `<owner name>-` (the apiserver appends five characters of the safe alphabet), the controller
 * reference, and a copy of the template's spec.
 */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { StatusError, isNotFound } from '../api/errors.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../client/record/eventRecorder.ts';
import type { KubeObject, ResourceClient } from '../client/rest/restClient.ts';
import { deepCopy } from '../base/deepFreeze.ts';

export const SUCCESSFUL_CREATE_POD_REASON = 'SuccessfulCreate';
export const FAILED_CREATE_POD_REASON = 'FailedCreate';
export const SUCCESSFUL_DELETE_POD_REASON = 'SuccessfulDelete';
export const FAILED_DELETE_POD_REASON = 'FailedDelete';

export type PodObject = Pod & KubeObject;

/** The ownerReference a controller puts on what it creates (metav1.NewControllerRef). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The owner reference with controller: true, if any (metav1.GetControllerOf). */
export function getControllerOf(object: KubeObject): OwnerReference | undefined {
  const refs = object.metadata?.ownerReferences as OwnerReference[] | undefined;
  return refs?.find((r) => r.controller === true);
}

/** The pod a template describes, owned by `controllerRef` (GetPodFromTemplate). */
export function getPodFromTemplate(template: PodTemplateSpec, owner: KubeObject, controllerRef?: OwnerReference): PodObject {
  const meta = template.metadata ?? {};
  const pod: PodObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata?.name ?? ''}-`,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [{ ...controllerRef }] } : {}),
    },
    spec: deepCopy(template.spec ?? { containers: [] }),
  };
  return pod;
}

export class PodControl {
  constructor(
    private readonly pods: ResourceClient<PodObject>,
    private readonly recorder: EventRecorder,
  ) {}

  /** Create a pod from `template` for `owner`; resolves with the created pod, rejects with the API error. */
  async createPods(namespace: string, template: PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference): Promise<PodObject> {
    return this.createPod(namespace, getPodFromTemplate(template, owner, controllerRef), owner);
  }

  /** Create a prepared pod (StatefulSet and Job controllers name and label their own), with the events. */
  async createPod(namespace: string, pod: PodObject, owner: KubeObject): Promise<PodObject> {
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: PodObject;
    try {
      created = await this.pods.create(namespace, pod);
    } catch (error) {
      // A namespace being deleted refuses new pods: that is expected, not worth an event.
      const terminating = error instanceof StatusError && (error.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
      if (!terminating) this.recorder.eventf(owner, EVENT_TYPE_WARNING, FAILED_CREATE_POD_REASON, 'Error creating: %v', messageOf(error));
      throw error;
    }
    this.recorder.eventf(owner, EVENT_TYPE_NORMAL, SUCCESSFUL_CREATE_POD_REASON, 'Created pod: %v', created.metadata?.name ?? '');
    return created;
  }

  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    try {
      await this.pods.delete(namespace, name);
    } catch (error) {
      if (isNotFound(error)) throw error;
      this.recorder.eventf(owner, EVENT_TYPE_WARNING, FAILED_DELETE_POD_REASON, 'Error deleting: %v', messageOf(error));
      throw new Error(`unable to delete pods: ${messageOf(error)}`, { cause: error });
    }
    this.recorder.eventf(owner, EVENT_TYPE_NORMAL, SUCCESSFUL_DELETE_POD_REASON, 'Deleted pod: %v', name);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
