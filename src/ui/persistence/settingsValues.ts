/**
 * The settings as one value: every choice the UI remembers in localStorage under `kubelab.` — the theme,
 * motion and terminal font size (src/ui/settings/settingsStore.ts), the pane sizes and open tabs
 * (src/ui/layout/paneSize.ts), the language (src/ui/i18n/i18n.ts) — keyed without the prefix
 * (`layout.theme`, `language`). localStorage stays the synchronous first read at startup; this value is
 * what IndexedDB keeps and a lab file carries.
 */
import { checkSettings } from './labFile.ts';
import type { SettingsValues } from './storage.ts';

export const SETTINGS_PREFIX = 'kubelab.';

type ReadableStorage = Pick<Storage, 'length' | 'key' | 'getItem'>;

/** Every remembered setting in `storage`, or none when storage is unavailable. */
export function readSettings(storage: ReadableStorage | undefined): SettingsValues {
  const out: SettingsValues = {};
  if (!storage) return out;
  try {
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key === null || !key.startsWith(SETTINGS_PREFIX)) continue;
      const value = storage.getItem(key);
      if (value !== null) out[key.slice(SETTINGS_PREFIX.length)] = value;
    }
  } catch {
    return out; // Storage can be disabled: nothing remembered there.
  }
  // Only what a lab file may carry.
  try {
    return checkSettings(out);
  } catch {
    return Object.fromEntries(Object.entries(out).filter(([k, v]) => safe(k, v)));
  }
}

function safe(key: string, value: string): boolean {
  try {
    checkSettings({ [key]: value });
    return true;
  } catch {
    return false;
  }
}

/** Remember each of `values` in `storage` (throws what storage throws). */
export function writeSettings(storage: Pick<Storage, 'setItem'>, values: SettingsValues): void {
  for (const [key, value] of Object.entries(values)) storage.setItem(SETTINGS_PREFIX + key, value);
}

/** The settings `saved` has that `local` lacks: what IndexedDB brings back when localStorage was cleared. */
export function missingSettings(local: SettingsValues, saved: SettingsValues): SettingsValues {
  return Object.fromEntries(Object.entries(saved).filter(([key]) => !Object.hasOwn(local, key)));
}

/** Whether two settings values hold the same choices. */
export function sameSettings(a: SettingsValues, b: SettingsValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
