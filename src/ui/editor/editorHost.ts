/**
 * The editor host a terminal passes to `engine.openSession` as its fourth argument: the laptop's `vi`,
 * `nano` and `kubectl edit` then open their files in the editor panel and wait for "Save & close" or
 * "Cancel" (editorStore.ts). A comlink proxy, so the worker can call it and await its promise.
 */
import type { EditListener, EditMessage } from '../../workers/engineApi.ts';
import { Comlink } from '../engine/client.ts';
import { useEditor } from './editorStore.ts';

let proxied: (EditListener & Comlink.ProxyMarked) | undefined;

export function editorHostCallback(): EditListener & Comlink.ProxyMarked {
  proxied ??= Comlink.proxy((message: EditMessage) => useEditor.getState().requestEdit(message));
  return proxied;
}
