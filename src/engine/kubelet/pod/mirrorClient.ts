/**
 * The mirror client (pkg/kubelet/pod/mirror_client.go): a static pod's stand-in in the API. A mirror pod is
 * the static pod as the apiserver stores it — same name, namespace, spec, labels and annotations, plus
 * `kubernetes.io/config.mirror` (the static pod's hash) and an ownerReference to the Node as controller —
 * with its own UID. The kubelet never runs a mirror pod: it writes the static pod's status into it, deletes
 * it when it no longer matches (another hash, or deleted through the API) and creates it again, and deletes
 * it when the static pod is gone.
 *
 * Also here: kubelet.go's tryReconcileMirrorPods, which each sync of a static pod runs.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isNotFound } from '../../api/errors.ts';
import type { KubeObject, RestClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { CONFIG_HASH_ANNOTATION, CONFIG_SOURCE_ANNOTATION } from '../config/common.ts';

/** kubetypes.ConfigMirrorAnnotationKey. */
export const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

type PodObject = Pod & KubeObject;

/** IsMirrorPod: a pod in the API that stands for a static pod. */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] !== undefined;
}

/** IsStaticPod: a pod from a source other than the apiserver. */
export function isStaticPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.[CONFIG_SOURCE_ANNOTATION];
  return source !== undefined && source !== 'api';
}

/** IsMirrorPodOf: same full name, and the hash of this very static pod. */
export function isMirrorPodOf(mirrorPod: Pod, pod: Pod): boolean {
  if (mirrorPod.metadata?.name !== pod.metadata?.name || mirrorPod.metadata?.namespace !== pod.metadata?.namespace) return false;
  const hash = mirrorPod.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION];
  return hash !== undefined && hash === pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
}

export class MirrorClient {
  constructor(
    private readonly client: RestClient,
    private readonly nodeName: string,
    /** The Node as the kubelet last read it, undefined while it could not. */
    private readonly getNode: () => Node | undefined,
  ) {}

  /** CreateMirrorPod: the mirror of `pod`, or the one already there with the same hash. Throws on other failures. */
  async createMirrorPod(pod: Pod): Promise<PodObject> {
    const hash = pod.metadata?.annotations?.[CONFIG_HASH_ANNOTATION] ?? '';
    const nodeUID = this.getNode()?.metadata?.uid;
    if (!nodeUID) throw new Error(`failed to get node UID: node "${this.nodeName}" not found`);
    const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ct, ...metadata } = pod.metadata ?? {};
    const copy: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...metadata,
        annotations: { ...pod.metadata?.annotations, [CONFIG_MIRROR_ANNOTATION]: hash },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: nodeUID, controller: true }],
      },
      spec: structuredClone(pod.spec!),
    };
    const pods = this.client.resource<PodObject>(RESOURCES.pods);
    const namespace = copy.metadata?.namespace ?? 'default';
    try {
      return await pods.create(namespace, copy);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const existing = await pods.get(namespace, copy.metadata?.name ?? '');
      if (existing.metadata?.annotations?.[CONFIG_MIRROR_ANNOTATION] === hash) return existing;
      throw error;
    }
  }

  /** DeleteMirrorPod: delete at once, only the mirror pod with `uid`. False when it was already gone. */
  async deleteMirrorPod(namespace: string, name: string, uid: string): Promise<boolean> {
    try {
      await this.client.resource<PodObject>(RESOURCES.pods).delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * tryReconcileMirrorPods: a mirror pod that is being deleted or no longer matches the static pod is
   * deleted; then, when there is none, one is created (not while the Node cannot be read or is being
   * deleted). Returns the mirror pod the static pod has now. Failures are left to the next sync.
   */
  async tryReconcileMirrorPods(staticPod: Pod, mirrorPod: PodObject | undefined): Promise<PodObject | undefined> {
    let deleted = false;
    if (mirrorPod && (mirrorPod.metadata?.deletionTimestamp || !isMirrorPodOf(mirrorPod, staticPod))) {
      try {
        deleted = await this.deleteMirrorPod(mirrorPod.metadata?.namespace ?? '', mirrorPod.metadata?.name ?? '', mirrorPod.metadata?.uid ?? '');
      } catch {
        return mirrorPod;
      }
      if (!deleted) mirrorPod = undefined;
    }
    if (mirrorPod && !deleted) return mirrorPod;
    const node = this.getNode();
    if (!node || node.metadata?.deletionTimestamp) return undefined;
    try {
      return await this.createMirrorPod(staticPod);
    } catch {
      return undefined;
    }
  }
}
