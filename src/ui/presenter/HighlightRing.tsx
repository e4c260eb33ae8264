/**
 * The presenter's spotlight: a ring drawn over the diagram element whose `data-highlight-id` is the
 * presenter store's `highlight`, in the lab window and in the audience window alike. The ring lives
 * outside the diagrams (fixed, above everything, not clickable) and follows the element every frame while
 * a highlight is set, so it stays on it as the diagram re-renders, scrolls or resizes; when the element
 * is not on screen (another tab is open, the object was deleted) no ring is drawn.
 *
 * `useHighlightPicker` (lab window, presenter mode): Alt-click on an element with a `data-highlight-id`
 * highlights it (again: clears it); with the highlight tool armed, a plain click does the same.
 */
import { useEffect, useRef } from 'react';
import { usePresenter } from './presenterStore.ts';
import styles from './presenter.module.css';

/** The element on screen that carries highlight id `id`, if any. */
export function highlightedElement(id: string): Element | null {
  return document.querySelector(`[data-highlight-id="${CSS.escape(id)}"]`);
}

const PAD = 5;

export function HighlightRing() {
  const highlight = usePresenter((s) => s.highlight);
  const ring = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ring.current;
    if (!el || highlight === null) return;
    let frame = requestAnimationFrame(function place() {
      const target = highlightedElement(highlight);
      const r = target?.getBoundingClientRect();
      if (!r || r.width === 0 || r.height === 0) {
        el.hidden = true;
        el.removeAttribute('data-for');
      } else {
        el.hidden = false;
        el.dataset.for = highlight;
        el.style.transform = `translate(${r.left - PAD}px, ${r.top - PAD}px)`;
        el.style.width = `${r.width + 2 * PAD}px`;
        el.style.height = `${r.height + 2 * PAD}px`;
      }
      frame = requestAnimationFrame(place);
    });
    return () => cancelAnimationFrame(frame);
  }, [highlight]);
  if (highlight === null) return null;
  return <div ref={ring} className={styles.ring} hidden aria-hidden="true" data-testid="highlight-ring" />;
}

export function useHighlightPicker(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onClick = (e: MouseEvent) => {
      const { picking, highlight, setHighlight, setPicking } = usePresenter.getState();
      if (!e.altKey && !picking) return;
      const target = e.target instanceof Element ? e.target.closest('[data-highlight-id]') : null;
      if (!target) {
        if (picking && !(e.target instanceof Element && e.target.closest('[data-testid=presenter-pick]'))) setPicking(false);
        return;
      }
      e.preventDefault();
      e.stopPropagation();
      const id = target.getAttribute('data-highlight-id')!;
      setHighlight(id === highlight ? null : id);
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [active]);
}
