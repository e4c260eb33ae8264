/** What each of the registry's actions does in the lab window (the audience window has no shortcuts: it only follows). */
import { DIAGRAMS } from '../diagrams/index.ts';
import { useDiagram } from '../layout/diagramStore.ts';
import { usePresenter } from '../presenter/presenterStore.ts';
import { nudgeSpeed, step, togglePlay } from '../topbar/clockActions.ts';
import { useHelpPanel } from './helpPanelStore.ts';
import type { ShortcutHandlers } from './useShortcuts.ts';

export const APP_SHORTCUTS: ShortcutHandlers = {
  'help.toggle': () => useHelpPanel.getState().toggle(),
  'clock.toggle': () => togglePlay(),
  'clock.step': () => void step(),
  'clock.slower': () => nudgeSpeed(-1),
  'clock.faster': () => nudgeSpeed(1),
  'diagram.open': ({ index }) => {
    const d = index === undefined ? undefined : DIAGRAMS[index];
    if (!d) return false;
    useDiagram.getState().open(d.id);
  },
  'presenter.toggle': () => usePresenter.getState().toggle(),
  'presenter.nextStep': () => usePresenter.getState().nextStep(),
  'presenter.previousStep': () => usePresenter.getState().previousStep(),
  'presenter.clearHighlight': () => {
    if (usePresenter.getState().highlight === null && !usePresenter.getState().picking) return false;
    usePresenter.getState().setHighlight(null);
  },
};
