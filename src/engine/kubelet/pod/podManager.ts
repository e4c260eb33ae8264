/**
 * The pod manager's mirror half (pkg/kubelet/pod/pod_manager.go): the mirror pods the kubelet's watch
 * shows, by full name, and the lookup from a static pod to its mirror. The static pods themselves and the
 * API's pods live in the kubelet's own pod records.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { isMirrorPodOf } from './mirrorClient.ts';

type PodObject = Pod & KubeObject;

/** kubecontainer.GetPodFullName: name_namespace. */
export function podFullName(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}`;
}

export class PodManager {
  private readonly mirrorPodByFullName = new Map<string, PodObject>();

  /** A mirror pod added or updated in the API. */
  updateMirrorPod(pod: PodObject): void {
    this.mirrorPodByFullName.set(podFullName(pod), pod);
  }

  /** A mirror pod gone from the API: forgotten unless another has taken its name. */
  removeMirrorPod(pod: Pod): void {
    const key = podFullName(pod);
    if (this.mirrorPodByFullName.get(key)?.metadata?.uid === pod.metadata?.uid) this.mirrorPodByFullName.delete(key);
  }

  /** GetMirrorPodByPod: the mirror pod with the static pod's full name, whatever its hash. */
  getMirrorPodByPod(pod: Pod): PodObject | undefined {
    return this.mirrorPodByFullName.get(podFullName(pod));
  }

  /** The mirror pod of this very static pod (its hash), where the status manager writes its status. */
  mirrorOf(pod: Pod): PodObject | undefined {
    const mirror = this.getMirrorPodByPod(pod);
    return mirror && isMirrorPodOf(mirror, pod) ? mirror : undefined;
  }
}
