/**
 * What the cluster map's tooltip describes: the pod (or, in the aggregated map, the node tile) under the
 * pointer or with keyboard focus, and where it is on screen. A store of its own, so that hovering
 * re-renders the tooltip alone, never the map.
 */
import { create } from 'zustand';

export interface Anchor {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type HoverTarget = { kind: 'pod'; id: string; anchor: Anchor } | { kind: 'tile'; index: number; anchor: Anchor };

interface HoverState {
  target: HoverTarget | undefined;
  show(target: HoverTarget): void;
  hide(): void;
}

export const useHover = create<HoverState>()((set) => ({
  target: undefined,
  show: (target) => set({ target }),
  hide: () => set({ target: undefined }),
}));

export function anchorOf(el: Element): Anchor {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

export const TOOLTIP_ID = 'cluster-map-tooltip';
