/**
 * Two panes and the splitter between them (the WAI-ARIA window splitter pattern): drag it with a
 * pointer, or focus it and use the arrow keys (Shift for bigger steps), Home and End. The size is a
 * fraction of the pane's length, clamped so that each side keeps its minimum, and remembered per `id`;
 * the fraction asked for is kept, so a window that shrinks and grows again gets its layout back.
 */
import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { clampFraction, readFraction, writeFraction } from './paneSize.ts';

interface SplitPaneProps {
  /** Remembers the size under this name. */
  id: string;
  /** `column`: first above second, the splitter is horizontal; `row`: first left of second. */
  direction: 'column' | 'row';
  first: ReactNode;
  second: ReactNode;
  /** The first pane's fraction when nothing is remembered. */
  defaultFraction: number;
  minFirst: number;
  minSecond: number;
  /** The splitter's accessible name ("Resize the terminal"). */
  label: string;
  /** The id of the first pane's element, which the splitter controls. */
  firstId: string;
  /** Hide the first pane and the splitter: the second takes the whole length (the tree stays mounted). */
  collapsed?: boolean;
}

const STEP = 0.02;
const BIG_STEP = 0.1;

export function SplitPane({ id, direction, first, second, defaultFraction, minFirst, minSecond, label, firstId, collapsed = false }: SplitPaneProps) {
  const container = useRef<HTMLDivElement>(null);
  const [wanted, setWanted] = useState(() => readFraction(id, defaultFraction));
  const [length, setLength] = useState(0);
  const [dragging, setDragging] = useState(false);
  const fraction = clampFraction(wanted, length, minFirst, minSecond);

  const measure = useCallback(() => {
    const el = container.current;
    if (el) setLength(direction === 'column' ? el.clientHeight : el.clientWidth);
  }, [direction]);
  useLayoutEffect(() => {
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(container.current!);
    return () => observer.disconnect();
  }, [measure]);

  const commit = useCallback(
    (next: number) => {
      const clamped = clampFraction(next, length, minFirst, minSecond);
      setWanted(clamped);
      writeFraction(id, clamped);
    },
    [id, length, minFirst, minSecond],
  );

  const fractionAt = (e: PointerEvent) => {
    const rect = container.current!.getBoundingClientRect();
    return direction === 'column' ? (e.clientY - rect.top) / rect.height : (e.clientX - rect.left) / rect.width;
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    setDragging(true);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging) setWanted(clampFraction(fractionAt(e), length, minFirst, minSecond));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging) return;
    setDragging(false);
    e.currentTarget.releasePointerCapture(e.pointerId);
    commit(fractionAt(e));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? BIG_STEP : STEP;
    const [less, more] = direction === 'column' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
    let next: number | undefined;
    if (e.key === less) next = fraction - step;
    else if (e.key === more) next = fraction + step;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = 1;
    if (next === undefined) return;
    e.preventDefault();
    commit(next);
  };

  const min = length > 0 ? Math.round((minFirst / length) * 100) : 0;
  const max = length > 0 ? Math.round((1 - minSecond / length) * 100) : 100;
  return (
    <div className={`split split-${direction}${dragging ? ' dragging' : ''}`} ref={container}>
      <div className="split-pane split-first" id={firstId} style={collapsed ? { display: 'none' } : { flexBasis: `${fraction * 100}%` }}>
        {first}
      </div>
      {collapsed ? null : (
        <div
          className="splitter"
          role="separator"
          tabIndex={0}
          aria-label={label}
          aria-controls={firstId}
          aria-orientation={direction === 'column' ? 'horizontal' : 'vertical'}
          aria-valuemin={min}
          aria-valuemax={max}
          aria-valuenow={Math.round(fraction * 100)}
          data-testid={`splitter-${id}`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDragging(false)}
          onKeyDown={onKeyDown}
        />
      )}
      <div className="split-pane split-second">{second}</div>
    </div>
  );
}
