/**
 * The registry of views (./view.ts) the UI may watch through the worker API's `watchView`. To add one,
 * write its provider beside this file and add one line here; its argument and value types reach the UI
 * through `ViewArgs` and `ViewValue`.
 */
import type { AnyViewProvider, ViewProvider } from './view.ts';

export const VIEWS = {} satisfies Record<string, AnyViewProvider>;

export type ViewName = keyof typeof VIEWS;
export type ViewArgs<N extends ViewName> = (typeof VIEWS)[N] extends ViewProvider<infer A, unknown> ? A : never;
export type ViewValue<N extends ViewName> = (typeof VIEWS)[N] extends ViewProvider<infer _A, infer V> ? V : never;
