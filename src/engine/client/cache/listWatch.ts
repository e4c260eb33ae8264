/**
 * ListerWatcher — client-go's cache.ListerWatcher (tools/cache/listwatch.go): the two calls a reflector
 * makes, list and watch, for one resource (optionally one namespace, optionally filtered by selectors).
 *
 * `listWatchFromClient` builds one over a RestClient. Its watches keep the server's stream unread until
 * the consumer subscribes: events (and the end) that arrive before `onEvent`/`onDone` are delivered on
 * subscription, never dropped — an apiserver that cannot start a watch answers 200 and one ERROR event
 * at once (410 Expired), and that event must reach the reflector.
 */
import { resourcePath, type GroupVersionResource, type KubeObject, type ListOptions, type ObjectList, type RestClient, type Watch, type WatchEvent } from '../rest/restClient.ts';
import type { WatchStream } from '../../apiserver/http.ts';

export interface ListerWatcher<T> {
  list(options: ListOptions): Promise<ObjectList<T>>;
  watch(options: ListOptions): Promise<Watch<T>>;
}

/** Selectors and other options every list and watch of a ListWatch carries (NewFilteredListWatchFromClient). */
export type TweakListOptions = (options: ListOptions) => void;

/** List and watch `gvr` in `namespace` ('' = all namespaces, or a cluster-scoped resource). */
export function listWatchFromClient<T extends KubeObject>(client: RestClient, gvr: GroupVersionResource, namespace = '', tweak?: TweakListOptions): ListerWatcher<T> {
  const resource = client.resource<T>(gvr);
  const tweaked = (options: ListOptions): ListOptions => {
    const copy = { ...options };
    tweak?.(copy);
    return copy;
  };
  return {
    list: (options) => resource.list(namespace, tweaked(options)),
    watch: async (options) => {
      const response = await client.raw('GET', resourcePath(gvr, namespace), { ...query(tweaked(options)), watch: 'true' });
      if (!response.watch) throw new Error('the server answered a watch without a stream');
      return streamWatch<T>(response.watch);
    },
  };
}

/** A Watch over a stream that is read only once someone subscribes (the stream buffers until then). */
function streamWatch<T>(stream: WatchStream): Watch<T> {
  return {
    onEvent(listener) {
      let live = true;
      // In process the event comes decoded (frozen, shared with the other informers): no parse, no copy.
      stream.onEvent((line, decoded) => {
        if (live) listener((decoded ? decoded() : JSON.parse(line)) as WatchEvent<T>);
      });
      return { dispose: () => (live = false) };
    },
    onDone(listener) {
      let live = true;
      stream.onEnd(() => {
        if (live) listener();
      });
      return { dispose: () => (live = false) };
    },
    stop: () => stream.stop(),
  };
}

function query(options: ListOptions): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && v !== '') q[k] = String(v);
  return q;
}
