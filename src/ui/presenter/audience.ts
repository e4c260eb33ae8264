/**
 * The audience window's side (protocol.ts): say hello, then mirror what the presenter sends into this
 * window's own lab and trace stores — the same stores the diagrams read, so they draw the presenter's
 * cluster without an engine of their own — and follow the presenter's diagram, highlight, theme and
 * language (applied here, not remembered: the audience window only follows).
 *
 * The worker views some diagrams watch (useView) come from the presenter too: `followPresenter` makes
 * this window's view source (src/ui/state/viewSource.ts) ask the presenter, who watches them for it. It
 * must run before the first render, so that no diagram ever reaches for the engine client.
 *
 * Status: `waiting` until the first snapshot, `live` while mirroring, `ended` after the presenter's bye
 * (the picture stays, frozen, until a presenter says `presenting` again).
 */
import i18next from 'i18next';
import { create } from 'zustand';
import { LANGUAGES } from '../i18n/i18n.ts';
import { useDiagram } from '../layout/diagramStore.ts';
import { THEMES, useSettings, type Theme } from '../settings/settingsStore.ts';
import { emptyMirror, useLab } from '../state/labStore.ts';
import { useTrace } from '../state/traceStore.ts';
import { setViewSource } from '../state/viewSource.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { usePresenter } from './presenterStore.ts';
import { asPresenterMessage, CHANNEL, type AudienceMessage, type PresenterMessage, type PresenterView } from './protocol.ts';

export type AudienceStatus = 'waiting' | 'live' | 'ended';

export const useAudience = create<{ status: AudienceStatus }>()(() => ({ status: 'waiting' }));

interface Watcher {
  name: string;
  args: unknown;
  onUpdate(update: ViewUpdate<unknown>): void;
}

/** This window's id on the channel, and the views its diagrams watch through the presenter. */
const views = { audience: '', next: 1, watchers: new Map<string, Watcher>() };

function watchAll(say: (m: AudienceMessage) => void): void {
  for (const [watch, w] of views.watchers) say({ type: 'watch', audience: views.audience, watch, name: w.name, args: w.args });
}

function follow(view: PresenterView): void {
  if (useDiagram.getState().id !== view.diagram) {
    try {
      useDiagram.getState().open(view.diagram, { remember: false });
    } catch (error) {
      // A presenter on a newer build with a diagram this page lacks: stay on the current one.
      console.warn(error);
    }
  }
  if (usePresenter.getState().highlight !== view.highlight) usePresenter.setState({ highlight: view.highlight });
  if (THEMES.includes(view.theme as Theme) && useSettings.getState().theme !== view.theme) useSettings.setState({ theme: view.theme as Theme });
  if (LANGUAGES.some((l) => l.code === view.language) && i18next.language !== view.language) {
    void i18next.changeLanguage(view.language);
  }
}

/** Apply one message from the presenter to this window's stores. */
export function receive(message: PresenterMessage, say: (m: AudienceMessage) => void): void {
  const status = useAudience.getState().status;
  switch (message.type) {
    case 'presenting':
      say({ type: 'hello', audience: views.audience });
      return;
    case 'snapshot':
      useLab.setState({ ...emptyMirror(), engine: { kind: 'ready' } });
      useLab.getState().apply(message.diff);
      useTrace.getState().clear();
      useTrace.getState().push(message.trace);
      follow(message.view);
      useAudience.setState({ status: 'live' });
      // The presenter forgets this window's views when it says hello: ask for them again.
      watchAll(say);
      return;
    case 'diff':
      if (status === 'live') useLab.getState().apply(message.diff);
      return;
    case 'trace':
      if (status === 'live') useTrace.getState().push(message.events);
      return;
    case 'view':
      if (status === 'live') follow(message.view);
      return;
    case 'viewUpdate':
      if (message.audience === views.audience) views.watchers.get(message.watch)?.onUpdate(message.update);
      return;
    case 'bye':
      if (status === 'live') useAudience.setState({ status: 'ended' });
      return;
  }
}

/** Start following the presenter over the BroadcastChannel (before the first render); returns the function that stops. */
export function followPresenter(): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  const say = (m: AudienceMessage) => channel.postMessage(m);
  views.audience = crypto.randomUUID();
  setViewSource({
    watch: (name, args, onUpdate) => {
      const watch = `w${views.next++}`;
      views.watchers.set(watch, { name, args, onUpdate });
      say({ type: 'watch', audience: views.audience, watch, name, args });
      return Promise.resolve(watch);
    },
    unwatch: (watch) => {
      views.watchers.delete(watch);
      say({ type: 'unwatch', audience: views.audience, watch });
      return Promise.resolve();
    },
  });
  channel.onmessage = (e: MessageEvent<unknown>) => {
    const message = asPresenterMessage(e.data);
    if (message) receive(message, say);
  };
  say({ type: 'hello', audience: views.audience });
  return () => channel.close();
}
