/**
 * Views: what a diagram may ask the worker about the engine beyond the objects the lab mirrors (the etcd
 * key tree, a node's processes and cgroups, the scheduler's decision for a pod…), as plain data.
 *
 * A view is a provider in the registry (./index.ts): `parse` checks the diagram's arguments (a bad one
 * throws an Error saying what is wrong), `compute` reads the lab and returns structured-clone-safe data.
 * `version`, when given, is a cheap fingerprint of what `compute` reads (an etcd revision, a counter): the
 * worker recomputes a watched view only when it changed, so a view of a quiet part of the lab costs
 * nothing per frame. Without `version` the view is recomputed each frame in which the lab changed, and
 * posted only when its value differs from the last one posted.
 */
import type { Lab } from '../../engine/cluster/lab.ts';

export interface ViewProvider<Args, Value> {
  /** The arguments, checked; throws an Error naming what is wrong. */
  parse(args: unknown): Args;
  compute(lab: Lab, args: Args): Value;
  /** A cheap fingerprint of the state `compute` reads; equal fingerprints mean an equal value. */
  version?(lab: Lab, args: Args): string | number;
}

/** Any provider, as the registry holds them. */
export interface AnyViewProvider {
  parse(args: unknown): unknown;
  compute(lab: Lab, args: never): unknown;
  version?(lab: Lab, args: never): string | number;
}

/** What a watcher of a view receives: its value, or why it could not be computed (an engine bug). */
export type ViewUpdate<Value> = { value: Value } | { error: string };

/** Define a provider with its types inferred (the registry keeps them for the UI's `useView`). */
export function defineView<Args, Value>(provider: ViewProvider<Args, Value>): ViewProvider<Args, Value> {
  return provider;
}
