/**
 * useView — a component's live copy of a worker view (src/workers/views/): the value now and after each
 * change, at most once a frame. `args` undefined watches nothing (a diagram with nothing chosen yet).
 * The watch ends when the component unmounts or the arguments change (compared by their JSON).
 */
import { useEffect, useState } from 'react';
import type { ViewListener } from '../../workers/engineApi.ts';
import type { ViewArgs, ViewName, ViewValue } from '../../workers/views/index.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { Comlink, engine } from '../engine/client.ts';

export type ViewState<N extends ViewName> = { status: 'loading' } | { status: 'ready'; value: ViewValue<N> } | { status: 'error'; message: string };

export function useView<N extends ViewName>(name: N, args: ViewArgs<N> | undefined): ViewState<N> {
  const key = args === undefined ? undefined : JSON.stringify(args);
  const [state, setState] = useState<{ key: string | undefined; view: ViewState<N> }>({ key, view: { status: 'loading' } });

  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    let watchId: string | undefined;
    const onUpdate = (update: ViewUpdate<ViewValue<N>>) => {
      if (!live) return;
      setState({ key, view: 'error' in update ? { status: 'error', message: update.error } : { status: 'ready', value: update.value } });
    };
    engine
      .watchView(name, JSON.parse(key) as ViewArgs<N>, Comlink.proxy(onUpdate as ViewListener<N>))
      .then((id) => {
        if (live) watchId = id;
        else void engine.unwatchView(id).catch(() => {});
      })
      .catch((error: unknown) => {
        if (live) setState({ key, view: { status: 'error', message: error instanceof Error ? error.message : String(error) } });
      });
    return () => {
      live = false;
      if (watchId !== undefined) void engine.unwatchView(watchId).catch(() => {});
    };
  }, [name, key]);

  // A value for other arguments is not this one's.
  return state.key === key ? state.view : { status: 'loading' };
}
