import { describe, expect, it } from 'vitest';
import { usePresenter } from '../presenter/presenterStore.ts';
import { DEFAULT_TERMINAL_FONT_SIZE, effectiveTerminalFontSize, PRESENTER_SCALE, useSettings } from './settingsStore.ts';

describe('settings', () => {
  it('enlarges the terminal font in presenter mode', () => {
    expect(effectiveTerminalFontSize(14, false)).toBe(14);
    expect(effectiveTerminalFontSize(14, true)).toBe(Math.round(14 * PRESENTER_SCALE));
  });

  it('starts from the defaults and refuses values it does not offer, saying which are allowed', () => {
    const s = useSettings.getState();
    expect(s.theme).toBe('dark');
    expect(s.motion).toBe('system');
    expect(s.terminalFontSize).toBe(DEFAULT_TERMINAL_FONT_SIZE);
    expect(() => s.setTerminalFontSize(99)).toThrow(/one of 12, 13/);
    expect(() => s.setTheme('pink' as never)).toThrow(/unknown theme "pink"/);
    expect(() => s.setMotion('fast' as never)).toThrow(/unknown motion/);
    s.setTerminalFontSize(18);
    s.setMotion('reduce');
    expect(useSettings.getState()).toMatchObject({ terminalFontSize: 18, motion: 'reduce' });
  });
});

describe('presenter store', () => {
  it('hands the lesson-step keys to the open lesson, and reports when there is none', () => {
    const p = usePresenter.getState();
    expect(p.nextStep()).toBe(false);
    const moves: string[] = [];
    p.setLessonSteps({ next: () => moves.push('next'), previous: () => moves.push('previous') });
    expect(usePresenter.getState().nextStep()).toBe(true);
    expect(usePresenter.getState().previousStep()).toBe(true);
    expect(moves).toEqual(['next', 'previous']);
    usePresenter.getState().setLessonSteps(null);
    expect(usePresenter.getState().previousStep()).toBe(false);
  });

  it('clears the highlight when presenter mode ends', () => {
    usePresenter.getState().setEnabled(true);
    usePresenter.getState().setHighlight('node:worker-1');
    usePresenter.getState().setEnabled(false);
    expect(usePresenter.getState()).toMatchObject({ enabled: false, highlight: null, picking: false });
  });
});
