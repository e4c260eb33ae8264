/**
 * The scheduler's informer handlers (pkg/scheduler/eventhandlers.go, Kubernetes 1.32): bound pods feed
 * the cache, unbound pods this scheduler is responsible for feed the scheduling queue, nodes feed the
 * cache; every change is also a cluster event that may move unschedulable pods back into the queue.
 *
 * A pod moving from unbound to bound (the binding, seen through the watch) leaves the queue's handler
 * and enters the cache's, as client-go's FilteringResourceEventHandler turns an update across the
 * filter into a delete and an add. An update of a pod the scheduler has assumed is ignored: the bind
 * confirms it.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { DeletedFinalStateUnknown } from '../client/cache/store.ts';
import type { SharedIndexInformer } from '../client/cache/sharedInformer.ts';
import type { KubeObject } from '../client/rest/restClient.ts';
import type { Cache } from './cache/cache.ts';
import { EVENT_ASSIGNED_POD_ADD, EVENT_ASSIGNED_POD_DELETE, EVENT_NODE_ADD, EVENT_NODE_DELETE, nodeSchedulingPropertiesChange, podSchedulingPropertiesChange } from './framework/events.ts';
import { podPriority } from '../api/scheduling/helpers.ts';
import type { PriorityQueue } from './queue/schedulingQueue.ts';

export interface EventHandlerDeps {
  cache: Cache;
  queue: PriorityQueue;
  /** Whether a scheduler profile serves this schedulerName. */
  responsibleFor: (schedulerName: string) => boolean;
  /** Errors the handlers swallow (upstream logs them). */
  onError: (message: string, error?: unknown) => void;
  /** The cache's pods changed (an assigned pod added, updated or removed). */
  onCacheChange?: () => void;
}

function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T | undefined {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

function assigned(pod: Pod): boolean {
  return !!pod.spec?.nodeName;
}

/** addAllEventHandlers. */
export function addAllEventHandlers(deps: EventHandlerDeps, pods: SharedIndexInformer<Pod & KubeObject>, nodes: SharedIndexInformer<Node & KubeObject>): void {
  const { cache, queue, onError } = deps;
  const responsible = (pod: Pod) => deps.responsibleFor(pod.spec?.schedulerName ?? 'default-scheduler');
  const inQueue = (pod: Pod) => !assigned(pod) && responsible(pod);

  const addPodToCache = (pod: Pod) => {
    try {
      cache.addPod(pod);
    } catch (e) {
      onError('scheduler cache AddPod failed', e);
    }
    deps.onCacheChange?.();
    queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_ADD, undefined, pod);
  };
  const updatePodInCache = (oldPod: Pod, newPod: Pod) => {
    if (oldPod.metadata?.uid !== newPod.metadata?.uid) {
      deletePodFromCache(oldPod);
      addPodToCache(newPod);
      return;
    }
    try {
      cache.updatePod(oldPod, newPod);
    } catch (e) {
      onError('scheduler cache UpdatePod failed', e);
    }
    deps.onCacheChange?.();
    for (const event of podSchedulingPropertiesChange(newPod, oldPod)) queue.moveAllToActiveOrBackoffQueue(event, oldPod, newPod);
  };
  const deletePodFromCache = (pod: Pod) => {
    try {
      cache.removePod(pod);
    } catch (e) {
      onError('scheduler cache RemovePod failed', e);
    }
    deps.onCacheChange?.();
    queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, pod, undefined);
  };
  const addPodToSchedulingQueue = (pod: Pod) => queue.add(pod);
  const updatePodInSchedulingQueue = (oldPod: Pod, newPod: Pod) => {
    if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return;
    if (cache.isAssumedPod(newPod)) return;
    queue.update(oldPod, newPod);
    if ((oldPod.status?.nominatedNodeName ?? '') !== (newPod.status?.nominatedNodeName ?? '')) {
      // Leaving its old nominated node frees the room it held there for pods of lower or equal priority.
      const priority = podPriority(oldPod);
      queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, oldPod, undefined, (p) => podPriority(p) <= priority);
    }
  };
  const deletePodFromSchedulingQueue = (pod: Pod) => queue.delete(pod);

  pods.addEventHandler({
    onAdd: (pod) => {
      if (assigned(pod)) addPodToCache(pod);
      else if (responsible(pod)) addPodToSchedulingQueue(pod);
    },
    onUpdate: (oldPod, newPod) => {
      const wasAssigned = assigned(oldPod);
      const isAssigned = assigned(newPod);
      if (wasAssigned && isAssigned) updatePodInCache(oldPod, newPod);
      else if (!wasAssigned && isAssigned) addPodToCache(newPod);
      else if (wasAssigned && !isAssigned) deletePodFromCache(oldPod);
      const wasQueued = inQueue(oldPod);
      const isQueued = inQueue(newPod);
      if (wasQueued && isQueued) updatePodInSchedulingQueue(oldPod, newPod);
      else if (!wasQueued && isQueued) addPodToSchedulingQueue(newPod);
      else if (wasQueued && !isQueued) deletePodFromSchedulingQueue(oldPod);
    },
    onDelete: (obj) => {
      const pod = unwrap(obj);
      if (!pod) return;
      if (assigned(pod)) deletePodFromCache(pod);
      else if (responsible(pod)) deletePodFromSchedulingQueue(pod);
    },
  });

  nodes.addEventHandler({
    onAdd: (node) => {
      cache.addNode(node);
      queue.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, node);
    },
    onUpdate: (oldNode, newNode) => {
      cache.updateNode(oldNode, newNode);
      for (const event of nodeSchedulingPropertiesChange(newNode, oldNode)) queue.moveAllToActiveOrBackoffQueue(event, oldNode, newNode);
    },
    onDelete: (obj) => {
      const node = unwrap(obj);
      if (!node) return;
      try {
        cache.removeNode(node);
      } catch (e) {
        onError('scheduler cache RemoveNode failed', e);
      }
      queue.moveAllToActiveOrBackoffQueue(EVENT_NODE_DELETE, node, undefined);
    },
  });
}
