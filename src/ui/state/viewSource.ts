/**
 * Where useView's worker views come from. In the lab window: the engine worker (the engine client,
 * imported on first use — it is loaded already by then). In the presenter's audience window, which
 * must never load the engine client (it would start a second cluster): the presenter's window, which
 * watches the view on the audience's behalf (src/ui/presenter/audience.ts sets that source before the
 * first render).
 */
import type { ViewUpdate } from '../../workers/views/view.ts';

export interface ViewSource {
  /** Start watching view `name` with `args`; resolves to the watch's id. Bad names or arguments reject. */
  watch(name: string, args: unknown, onUpdate: (update: ViewUpdate<unknown>) => void): Promise<string>;
  unwatch(watchId: string): Promise<void>;
}

let source: ViewSource | undefined;

/** Use `s` for every view from now on (the audience window's relay). */
export function setViewSource(s: ViewSource): void {
  source = s;
}

export async function getViewSource(): Promise<ViewSource> {
  if (source) return source;
  const { Comlink, engine } = await import('../engine/client.ts');
  source ??= {
    // Comlink's Remote type drops watchView's generic (its args become the union of every view's): the
    // caller typed them by the view's name, and the worker checks them again.
    watch: (name, args, onUpdate) => engine.watchView(name as never, args as never, Comlink.proxy(onUpdate as never)),
    unwatch: (watchId) => engine.unwatchView(watchId),
  };
  return source;
}
