/**
 * layout — where the architecture diagram puts each box: clients on the left, the control plane
 * (kube-apiserver with its stage markers, etcd, kube-scheduler, kube-controller-manager) at the top, the
 * nodes (kubelet, kube-proxy, containerd) in rows below, as many per row as fit.
 */
import type { Point } from './flights.ts';
import { STAGES, type Anchor, type ComponentId, type StageName } from './architecture.ts';

export interface Box {
  id: ComponentId;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NodeFrame {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ArchitectureLayout {
  width: number;
  height: number;
  controlPlane: { x: number; y: number; width: number; height: number };
  apiserver: Box;
  boxes: Box[];
  stages: Array<{ stage: StageName; x: number; y: number }>;
  nodes: NodeFrame[];
  pointOf(anchor: Anchor): Point | undefined;
}

export const WIDTH = 960;
const NODES_PER_ROW = 4;
const NODE_HEIGHT = 104;

export function layoutArchitecture(nodeNames: readonly string[]): ArchitectureLayout {
  const cp = { x: 170, y: 8, width: 778, height: 196 };
  const apiserver: Box = { id: 'kube-apiserver', x: 186, y: 32, width: 746, height: 84 };
  const stageStep = (apiserver.width - 80) / (STAGES.length - 1);
  const stages = STAGES.map((stage, i) => ({ stage, x: apiserver.x + 40 + i * stageStep, y: apiserver.y + 46 }));
  const storageX = stages[STAGES.indexOf('storage')]!.x;
  const boxes: Box[] = [
    apiserver,
    { id: 'etcd', x: storageX - 60, y: 146, width: 120, height: 46 },
    { id: 'kube-scheduler', x: 186, y: 146, width: 150, height: 46 },
    { id: 'kube-controller-manager', x: 352, y: 146, width: 210, height: 46 },
    { id: 'kubectl', x: 12, y: 52, width: 140, height: 46 },
    { id: 'other-clients', x: 12, y: 146, width: 140, height: 46 },
  ];
  const nodes: NodeFrame[] = [];
  const perRow = Math.max(1, Math.min(NODES_PER_ROW, nodeNames.length));
  const gap = 14;
  const nodeWidth = (WIDTH - 24 - gap * (perRow - 1)) / perRow;
  nodeNames.forEach((name, i) => {
    const x = 12 + (i % perRow) * (nodeWidth + gap);
    const y = 218 + Math.floor(i / perRow) * (NODE_HEIGHT + gap);
    nodes.push({ name, x, y, width: nodeWidth, height: NODE_HEIGHT });
    const inner = nodeWidth - 20;
    boxes.push(
      { id: `kubelet@${name}`, x: x + 10, y: y + 26, width: inner * 0.5 - 4, height: 32 },
      { id: `kube-proxy@${name}`, x: x + 10 + inner * 0.5 + 4, y: y + 26, width: inner * 0.5 - 4, height: 32 },
      { id: `containerd@${name}`, x: x + 10, y: y + 64, width: inner, height: 32 },
    );
  });
  const rows = Math.ceil(nodeNames.length / perRow);
  const height = 218 + rows * (NODE_HEIGHT + gap) - gap + 8;
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const stageAt = new Map(stages.map((s) => [`stage:${s.stage}`, { x: s.x, y: s.y }]));
  return {
    width: WIDTH,
    height,
    controlPlane: cp,
    apiserver,
    boxes,
    stages,
    nodes,
    pointOf(anchor) {
      const stage = stageAt.get(anchor);
      if (stage) return stage;
      const box = byId.get(anchor as ComponentId);
      if (!box) return undefined;
      if (box.id === 'kubectl' || box.id === 'other-clients') return { x: box.x + box.width, y: box.y + box.height / 2 };
      if (box.id.startsWith('containerd@')) return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      return { x: box.x + box.width / 2, y: box.y };
    },
  };
}
