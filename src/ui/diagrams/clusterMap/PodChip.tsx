/**
 * One pod as a chip: its state as a shape (solid, hollow, dashed, striped, faded, grey) and a glyph as
 * well as a colour, the part of its name that tells it from its siblings, and kubectl's READY (or its
 * STATUS when it is not running). Hover or focus shows the details.
 */
import { memo } from 'react';
import type { PodView } from '../../../engine/cluster/clusterView.ts';
import { anchorOf, TOOLTIP_ID, useHover } from './hoverStore.ts';
import { podState, STATE_GLYPH } from './podState.ts';

export const PodChip = memo(function PodChip({ pod, label }: { pod: PodView; label: string }) {
  const state = podState(pod);
  const show = useHover((s) => s.show);
  const hide = useHover((s) => s.hide);
  const described = useHover((s) => s.target?.kind === 'pod' && s.target.id === pod.id);
  const running = state === 'ready' || state === 'notReady';
  const shown = running ? pod.ready : pod.status;
  return (
    <button
      type="button"
      className={`pod-chip ${state}`}
      data-testid="pod-chip"
      data-pod={`${pod.namespace}/${pod.name}`}
      data-highlight-id={`pod:${pod.namespace}/${pod.name}`}
      data-state={state}
      // The name holds the chip's visible text (WCAG 2.5.3, label in name), then the details in parentheses.
      aria-label={`${label} ${shown} (${pod.name}: ${pod.status}, READY ${pod.ready})`}
      aria-describedby={described ? TOOLTIP_ID : undefined}
      onPointerEnter={(e) => show({ kind: 'pod', id: pod.id, anchor: anchorOf(e.currentTarget) })}
      onPointerLeave={hide}
      onFocus={(e) => show({ kind: 'pod', id: pod.id, anchor: anchorOf(e.currentTarget) })}
      onBlur={hide}
    >
      <span className="glyph" aria-hidden="true">
        {STATE_GLYPH[state]}
      </span>
      {/* The spaces separate the words for assistive tech; the flex layout drops them on screen. */}{' '}
      <span className="chip-name">{label}</span>{' '}
      <span className="chip-ready">{shown}</span>
    </button>
  );
});
