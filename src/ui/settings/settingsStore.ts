/**
 * The student's settings: theme, motion, terminal font size — each remembered through readChoice /
 * writeChoice (src/ui/layout/paneSize.ts), so wherever those keep things, these follow. The language is
 * i18next's own (src/ui/i18n/i18n.ts) and is not duplicated here.
 *
 * Effects on the page: the theme is `data-theme` on <html> (styles.css keys its colours on it); forced
 * reduced motion is `data-motion="reduce"` on <html>; the terminal's font size, after presenter mode's
 * enlargement, is the CSS variable `--terminal-font-size` on <html> and `useTerminalFontSize()` for
 * xterm, which needs a number.
 */
import { useEffect, useLayoutEffect, useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { readChoice, writeChoice } from '../layout/paneSize.ts';
import { usePresenter } from '../presenter/presenterStore.ts';

export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

/** `system` follows prefers-reduced-motion; `reduce` forces it on whatever the system says. */
export const MOTIONS = ['system', 'reduce'] as const;
export type Motion = (typeof MOTIONS)[number];

export const TERMINAL_FONT_SIZES = [12, 13, 14, 15, 16, 18, 20, 22, 24] as const;
export const DEFAULT_TERMINAL_FONT_SIZE = 14;

/** How much presenter mode enlarges type (also `--presenter-scale` in styles.css, for the diagrams). */
export const PRESENTER_SCALE = 1.35;

export interface SettingsState {
  theme: Theme;
  motion: Motion;
  terminalFontSize: number;
  setTheme(theme: Theme): void;
  setMotion(motion: Motion): void;
  setTerminalFontSize(size: number): void;
}

const SIZE_CHOICES = TERMINAL_FONT_SIZES.map(String);

export const useSettings = create<SettingsState>()((set) => ({
  theme: readChoice('theme', THEMES, 'dark'),
  motion: readChoice('motion', MOTIONS, 'system'),
  terminalFontSize: Number(readChoice('terminalFontSize', SIZE_CHOICES, String(DEFAULT_TERMINAL_FONT_SIZE))),
  setTheme: (theme) => {
    if (!THEMES.includes(theme)) throw new Error(`unknown theme ${JSON.stringify(theme)} (known: ${THEMES.join(', ')})`);
    writeChoice('theme', theme);
    set({ theme });
  },
  setMotion: (motion) => {
    if (!MOTIONS.includes(motion)) throw new Error(`unknown motion setting ${JSON.stringify(motion)} (known: ${MOTIONS.join(', ')})`);
    writeChoice('motion', motion);
    set({ motion });
  },
  setTerminalFontSize: (size) => {
    if (!SIZE_CHOICES.includes(String(size))) throw new Error(`terminal font size must be one of ${SIZE_CHOICES.join(', ')}, got ${size}`);
    writeChoice('terminalFontSize', String(size));
    set({ terminalFontSize: size });
  },
}));

/** The terminal's font size in px: the chosen one, enlarged in presenter mode. */
export function effectiveTerminalFontSize(chosen: number, presenter: boolean): number {
  return presenter ? Math.round(chosen * PRESENTER_SCALE) : chosen;
}

/** The terminal's font size now (a number for xterm's `fontSize`); re-renders when it changes. */
export function useTerminalFontSize(): number {
  const chosen = useSettings((s) => s.terminalFontSize);
  const presenter = usePresenter((s) => s.enabled);
  return effectiveTerminalFontSize(chosen, presenter);
}

const reducedMotionQuery = '(prefers-reduced-motion: reduce)';
function subscribeSystemMotion(onChange: () => void): () => void {
  const media = window.matchMedia(reducedMotionQuery);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}
const systemReducesMotion = () => window.matchMedia(reducedMotionQuery).matches;

/** Whether animations should be replaced by still pictures: the system asks for it, or the student forced it. */
export function useReducedMotion(): boolean {
  const system = useSyncExternalStore(subscribeSystemMotion, systemReducesMotion, () => false);
  const motion = useSettings((s) => s.motion);
  return motion === 'reduce' || system;
}

/** Applies the settings to <html>; mounted once by the app (and by the audience window). */
export function useApplySettings(): void {
  const theme = useSettings((s) => s.theme);
  const motion = useSettings((s) => s.motion);
  const fontSize = useTerminalFontSize();
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (motion === 'reduce') document.documentElement.dataset.motion = 'reduce';
    else delete document.documentElement.dataset.motion;
  }, [motion]);
  useEffect(() => {
    document.documentElement.style.setProperty('--terminal-font-size', `${fontSize}px`);
  }, [fontSize]);
}
