/**
 * CycleState (pkg/scheduler/framework/cycle_state.go): the data plugins share within one scheduling cycle,
 * under keys (by convention "PreFilter" + plugin name, "PreScore" + plugin name). It lives for one pod's
 * cycle only. `clone` copies every entry through its own clone, so preemption's dry runs and the
 * nominated-pods pass of Filter can change PreFilter state without touching the cycle's.
 */

/** What a plugin stores; immutable data may return itself from clone. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly storage = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run this cycle. */
  skipFilterPlugins: ReadonlySet<string> = new Set();
  /** Plugins whose PreScore returned Skip: their Score is not run this cycle. */
  skipScorePlugins: ReadonlySet<string> = new Set();

  read<T extends StateData>(key: string): T | undefined {
    return this.storage.get(key) as T | undefined;
  }

  write(key: string, data: StateData): void {
    this.storage.set(key, data);
  }

  delete(key: string): void {
    this.storage.delete(key);
  }

  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.storage) copy.storage.set(k, v.clone());
    copy.skipFilterPlugins = this.skipFilterPlugins;
    copy.skipScorePlugins = this.skipScorePlugins;
    return copy;
  }
}
