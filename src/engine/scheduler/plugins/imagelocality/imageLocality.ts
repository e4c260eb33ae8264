/**
 * ImageLocality (pkg/scheduler/framework/plugins/imagelocality): prefer nodes that already have the
 * pod's images. Each image present on the node counts its size scaled by the share of nodes that have
 * it (so an image everywhere does not skew the choice); the sum, clamped between 23MB and 1000MB per
 * container, maps linearly onto 0–100. Image names are compared as written, with ":latest" added to a
 * name without a tag — as upstream, "nginx:1.27" does not match the node's "docker.io/library/nginx:1.27".
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { CycleState } from '../../framework/cycleState.ts';
import { MAX_NODE_SCORE, type Handle, type ScoreExtensions, type ScorePlugin } from '../../framework/interface.ts';
import type { ImageStateSummary, NodeInfo } from '../../framework/types.ts';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** normalizedImageName: append ":latest" when the name has no tag. */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return `${name}:latest`;
  return name;
}

function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return Math.trunc(state.size * spread);
}

/** calculatePriority. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let s = sumScores;
  if (s < MIN_THRESHOLD) s = MIN_THRESHOLD;
  else if (s > maxThreshold) s = maxThreshold;
  return Math.trunc((MAX_NODE_SCORE * (s - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

interface PodImages {
  images: string[];
  containers: number;
  /** The score on a node with none of the images. */
  noImagesScore: number;
}

/** The pod's images (normalized), computed once per pod object; the last pod is kept at hand. */
const podImages = new WeakMap<Pod, PodImages>();
let lastPod: Pod | undefined;
let lastImages: PodImages | undefined;

function imagesOf(pod: Pod): PodImages {
  if (pod === lastPod) return lastImages!;
  let v = podImages.get(pod);
  if (!v) {
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    v = { images: containers.map((c) => normalizedImageName(c.image ?? '')), containers: containers.length, noImagesScore: calculatePriority(0, containers.length) };
    podImages.set(pod, v);
  }
  lastPod = pod;
  lastImages = v;
  return v;
}

export class ImageLocality implements ScorePlugin {
  static readonly NAME = 'ImageLocality';
  readonly name = ImageLocality.NAME;

  constructor(private readonly handle: Handle) {}

  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const p = imagesOf(pod);
    const states = nodeInfo.imageStates;
    if (states.size === 0) return p.noImagesScore;
    const totalNumNodes = this.handle.snapshotSharedLister().list().length;
    let sum = 0;
    for (const image of p.images) {
      const state = states.get(image);
      if (state) sum += scaledImageScore(state, totalNumNodes);
    }
    return calculatePriority(sum, p.containers);
  }

  scoreExtensions(): ScoreExtensions | undefined {
    return undefined;
  }
}
