/**
 * The registry of views (./view.ts) the UI may watch through the worker API's `watchView`. To add one,
 * write its provider beside this file and add one line here; its argument and value types reach the UI
 * through `ViewArgs` and `ViewValue`.
 */
import type { AnyViewProvider, ViewProvider } from './view.ts';
import { containerOverlay } from './containerOverlay.ts';
import { etcdView } from './etcd.ts';
import { nodeCgroups } from './nodeCgroups.ts';
import { nodeProcesses } from './nodeProcesses.ts';
import { schedulerDecision } from './schedulerDecision.ts';

export const VIEWS = {
  'node-processes': nodeProcesses,
  'node-cgroups': nodeCgroups,
  'container-overlay': containerOverlay,
  etcd: etcdView,
  'scheduler-decision': schedulerDecision,
} satisfies Record<string, AnyViewProvider>;

export type ViewName = keyof typeof VIEWS;
export type ViewArgs<N extends ViewName> = (typeof VIEWS)[N] extends ViewProvider<infer A, unknown> ? A : never;
export type ViewValue<N extends ViewName> = (typeof VIEWS)[N] extends ViewProvider<infer _A, infer V> ? V : never;
