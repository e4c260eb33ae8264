/**
 * The presenter's side of the audience window (protocol.ts): while presenter mode is on, answer each
 * audience's hello with a snapshot of the lab, then relay every diff the lab store applies, every trace
 * batch, and every change of what the presenter shows (diagram tab, highlight, theme, language); and
 * watch the worker views an audience's diagrams ask for, sending their updates back. Nothing is sent
 * until an audience has said hello. `startRelay` returns the function that stops it (and says bye).
 */
import i18next from 'i18next';
import { useDiagram } from '../layout/diagramStore.ts';
import { useSettings } from '../settings/settingsStore.ts';
import { onDidApplyDiff, useLab } from '../state/labStore.ts';
import { onDidPushTrace, useTrace } from '../state/traceStore.ts';
import { getViewSource } from '../state/viewSource.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { usePresenter } from './presenterStore.ts';
import { asAudienceMessage, CHANNEL, snapshotDiff, type PresenterMessage, type PresenterView } from './protocol.ts';

export function currentView(): PresenterView {
  return {
    diagram: useDiagram.getState().id,
    highlight: usePresenter.getState().highlight,
    theme: useSettings.getState().theme,
    language: i18next.language,
  };
}

export function startRelay(): () => void {
  const channel = new BroadcastChannel(CHANNEL);
  let audience = false;
  const post = (message: PresenterMessage) => {
    try {
      channel.postMessage(message);
    } catch (error) {
      // A record that structured clone refuses is a bug in what the worker sends: say so, keep relaying.
      console.error('kubelab presenter: could not send to the audience window', error);
    }
  };
  const send = (message: PresenterMessage) => {
    if (audience) post(message);
  };

  // The views watched for audiences: `${audience}/${watch}` → the worker's watch id (once it answered).
  const watches = new Map<string, Promise<string | undefined>>();
  const unwatch = (key: string) => {
    const id = watches.get(key);
    watches.delete(key);
    void id?.then((w) => (w === undefined ? undefined : getViewSource().then((s) => s.unwatch(w)))).catch(() => {});
  };

  channel.onmessage = (e: MessageEvent<unknown>) => {
    const message = asAudienceMessage(e.data);
    if (!message) return;
    const prefix = `${message.audience}/`;
    switch (message.type) {
      case 'hello': {
        audience = true;
        // A window saying hello again starts over: it will ask for the views it shows.
        for (const key of [...watches.keys()]) if (key.startsWith(prefix)) unwatch(key);
        const lab = useLab.getState();
        post({ type: 'snapshot', diff: snapshotDiff(lab.records, lab.objects.records()), trace: [...useTrace.getState().events], view: currentView() });
        return;
      }
      case 'watch': {
        const { audience: who, watch } = message;
        const key = prefix + watch;
        unwatch(key);
        const reply = (update: ViewUpdate<unknown>) => {
          if (watches.has(key)) post({ type: 'viewUpdate', audience: who, watch, update });
        };
        watches.set(
          key,
          getViewSource()
            .then((s) => s.watch(message.name, message.args, reply))
            .catch((error: unknown) => {
              reply({ error: error instanceof Error ? error.message : String(error) });
              return undefined;
            }),
        );
        return;
      }
      case 'unwatch':
        unwatch(prefix + message.watch);
        return;
    }
  };

  let lastView = JSON.stringify(currentView());
  const viewChanged = () => {
    const view = currentView();
    const json = JSON.stringify(view);
    if (json === lastView) return;
    lastView = json;
    send({ type: 'view', view });
  };

  const stops = [
    onDidApplyDiff((diff) => send({ type: 'diff', diff })),
    onDidPushTrace((events) => send({ type: 'trace', events: [...events] })),
    useDiagram.subscribe(viewChanged),
    usePresenter.subscribe(viewChanged),
    useSettings.subscribe(viewChanged),
  ];
  i18next.on('languageChanged', viewChanged);
  const onUnload = () => post({ type: 'bye' });
  // The page (not present where the relay is tested, in Node) says bye when it goes away.
  const page = typeof window === 'undefined' ? undefined : window;
  page?.addEventListener('pagehide', onUnload);
  post({ type: 'presenting' });

  return () => {
    for (const stop of stops) stop();
    for (const key of [...watches.keys()]) unwatch(key);
    i18next.off('languageChanged', viewChanged);
    page?.removeEventListener('pagehide', onUnload);
    post({ type: 'bye' });
    channel.close();
  };
}
