/**
 * A split pane's size: the fraction of the pane's length its first side takes, clamped so that each
 * side keeps its minimum length in pixels, and remembered per pane in localStorage.
 */

/** The first side's fraction, kept between what leaves each side its minimum (shared in proportion when both cannot fit). */
export function clampFraction(fraction: number, total: number, minFirst: number, minSecond: number): number {
  if (!(total > 0)) return Math.min(1, Math.max(0, fraction));
  const low = minFirst / total;
  const high = 1 - minSecond / total;
  if (low > high) return minFirst / (minFirst + minSecond);
  return Math.min(high, Math.max(low, fraction));
}

const key = (id: string) => `kubelab.layout.${id}`;

const rememberListeners = new Set<() => void>();

/** After each remembered size or choice (the persistence keeps the settings in IndexedDB too: src/ui/persistence/). */
export function onDidRemember(listener: () => void): () => void {
  rememberListeners.add(listener);
  return () => rememberListeners.delete(listener);
}

function remembered(): void {
  for (const listener of rememberListeners) listener();
}

export function readFraction(id: string, fallback: number): number {
  try {
    const value = Number(localStorage.getItem(key(id)));
    return localStorage.getItem(key(id)) !== null && Number.isFinite(value) && value > 0 && value < 1 ? value : fallback;
  } catch {
    return fallback; // Storage can be disabled: the layout still works, it just won't be remembered.
  }
}

export function writeFraction(id: string, fraction: number): void {
  try {
    localStorage.setItem(key(id), fraction.toFixed(4));
  } catch {
    return; // Not remembered when storage is unavailable.
  }
  remembered();
}

/** A remembered string choice (the open tab, the theme), or the fallback when none or not one of `allowed`. */
export function readChoice<T extends string>(id: string, allowed: readonly T[], fallback: T): T {
  try {
    const value = localStorage.getItem(key(id));
    return allowed.includes(value as T) ? (value as T) : fallback;
  } catch {
    return fallback;
  }
}

export function writeChoice(id: string, value: string): void {
  try {
    localStorage.setItem(key(id), value);
  } catch {
    return; // Not remembered when storage is unavailable.
  }
  remembered();
}
