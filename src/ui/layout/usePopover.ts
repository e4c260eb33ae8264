/**
 * usePopover — a top-bar button that opens a small panel below it: open and closed state, a click or tap
 * outside closes it, Escape closes it and gives the focus back to the button (wire `onKeyDown` on the
 * element holding both, and `root`/`button` refs to them).
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export function usePopover() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const popoverId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  /** Close, and give the focus back to the button. */
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent, onClose: () => void = close) => {
    if (e.key !== 'Escape' || !open) return;
    e.stopPropagation();
    onClose();
  };
  return { open, setOpen, root, button, popoverId, close, onKeyDown };
}
