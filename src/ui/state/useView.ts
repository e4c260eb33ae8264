/**
 * useView — a component's live copy of a worker view (src/workers/views/): the value now and after each
 * change, at most once a frame. `args` undefined watches nothing (a diagram with nothing chosen yet).
 * The watch ends when the component unmounts or the arguments change (compared by their JSON).
 */
import { useEffect, useState } from 'react';
import type { ViewArgs, ViewName, ViewValue } from '../../workers/views/index.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { getViewSource } from './viewSource.ts';

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
    // The views come from the engine worker, or in the audience window from the presenter (viewSource.ts).
    const views = getViewSource();
    views
      .then((source) => source.watch(name, JSON.parse(key), onUpdate as (update: ViewUpdate<unknown>) => void))
      .then((id) => {
        if (live) watchId = id;
        else void views.then((source) => source.unwatch(id)).catch(() => {});
      })
      .catch((error: unknown) => {
        if (live) setState({ key, view: { status: 'error', message: error instanceof Error ? error.message : String(error) } });
      });
    return () => {
      live = false;
      const id = watchId;
      if (id !== undefined) void views.then((source) => source.unwatch(id)).catch(() => {});
    };
  }, [name, key]);

  // A value for other arguments is not this one's.
  return state.key === key ? state.view : { status: 'loading' };
}
