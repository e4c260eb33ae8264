/**
 * The visual tabs of the workspace's centre pane, in the order they are shown. Each diagram is a
 * component with no props that reads what it draws from the lab store; `titleKey` is its tab's i18n key.
 * To add a diagram, import it and add one line here.
 */
import type React from 'react';
import { ClusterMap } from './clusterMap/ClusterMap.tsx';
import { ObjectGraph } from './objectGraph/ObjectGraph.tsx';
import { Architecture } from './architecture/Architecture.tsx';
import { NodeInternals } from './nodeInternals/NodeInternals.tsx';
import { Scheduler } from './scheduler/Scheduler.tsx';
import { Etcd } from './etcd/Etcd.tsx';
import { Timeline } from './timeline/Timeline.tsx';

export interface DiagramEntry {
  id: string;
  titleKey: string;
  component: React.ComponentType;
}

export const DIAGRAMS: Array<DiagramEntry> = [
  { id: 'cluster-map', titleKey: 'clusterMap.title', component: ClusterMap },
  { id: 'object-graph', titleKey: 'objectGraph.title', component: ObjectGraph },
  { id: 'architecture', titleKey: 'architecture.title', component: Architecture },
  { id: 'node-internals', titleKey: 'nodeInternals.title', component: NodeInternals },
  { id: 'scheduler', titleKey: 'scheduler.title', component: Scheduler },
  { id: 'timeline', titleKey: 'timeline.title', component: Timeline },
  { id: 'etcd', titleKey: 'etcd.title', component: Etcd },
];
