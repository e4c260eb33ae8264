/**
 * The lab's saving, wired to the engine and the stores (started once by the app, `startPersistence`):
 * - autosave: every diff from the worker marks the lab changed; the Autosaver saves it (engine.saveLab)
 *   a few seconds later, at most every 5 s, and at once when the page is hidden or closing;
 * - settings: localStorage stays their first, synchronous read; each change is also kept in IndexedDB,
 *   and at startup what IndexedDB has and localStorage lost is brought back (and applied);
 * - progress: loaded at startup, each change kept;
 * - export, import and reset, for the Lab menu.
 *
 * The autosave is restored by the engine client before anything else runs (labStorage.ts, `restoreLab`).
 * Failures of storage are shown (persistenceStore.ts), never swallowed; an import that fails leaves the
 * lab, the settings and the progress as they were.
 */
import i18next from 'i18next';
import { engine, EngineStoppedError } from '../engine/client.ts';
import { changeLanguage, LANGUAGES, type Language } from '../i18n/i18n.ts';
import { onDidRemember } from '../layout/paneSize.ts';
import { MOTIONS, TERMINAL_FONT_SIZES, THEMES, useSettings, type Motion, type Theme } from '../settings/settingsStore.ts';
import { onDidApplyDiff } from '../state/labStore.ts';
import { Autosaver } from './autosave.ts';
import { buildLabFile, labFileName, LabFileError, parseLabFile, progressList, type LabFilePart } from './labFile.ts';
import { forgetAutosave, keepAutosave, labStorage, reportSaveFailure } from './labStorage.ts';
import { describeError, usePersistence } from './persistenceStore.ts';
import { onDidChangeProgress, useProgress } from './progressStore.ts';
import { missingSettings, readSettings, sameSettings, writeSettings } from './settingsValues.ts';
import type { LessonProgress, SettingsValues } from './storage.ts';

let autosaver: Autosaver | undefined;
let settingsTimer: ReturnType<typeof setTimeout> | undefined;
let savedSettings: SettingsValues | undefined;

const local = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

/** Start autosaving and keeping settings and progress; a second call does nothing. */
export function startPersistence(): void {
  if (autosaver) return;
  const saver = new Autosaver({
    save: async () => {
      const image = await engine.saveLab();
      await keepAutosave(image, Date.now());
      await saveSettings();
    },
    // A save the dying worker never answered is retried on the new one; the restart has its own notice.
    onError: (error) => error instanceof EngineStoppedError || reportSaveFailure(error),
  });
  autosaver = saver;
  onDidApplyDiff(() => saver.changed());
  const flush = () => void saver.flush();
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());

  onDidRemember(settingsChanged);
  i18next.on('languageChanged', settingsChanged);
  void restoreSettings();
  void restoreProgress();
}

/** Save the lab now (the Lab menu's export and import keep what they did before anything else happens). */
export function saveNow(): Promise<void> {
  return autosaver ? autosaver.flush(true) : Promise.resolve();
}

function settingsChanged(): void {
  clearTimeout(settingsTimer);
  settingsTimer = setTimeout(() => void saveSettings().catch(reportSaveFailure), 300);
}

/** Keep the settings in storage if they changed since last kept. */
async function saveSettings(): Promise<void> {
  const values = readSettings(local());
  if (savedSettings && sameSettings(values, savedSettings)) return;
  await (await labStorage()).writeSettings(values);
  savedSettings = values;
}

async function restoreSettings(): Promise<void> {
  try {
    const storage = await labStorage();
    const saved = (await storage.readSettings()) ?? {};
    const missing = missingSettings(readSettings(local()), saved);
    if (Object.keys(missing).length > 0) applySettings(missing);
    await saveSettings();
  } catch (error) {
    reportSaveFailure(error);
  }
}

/**
 * Remember `values` in localStorage and apply the ones that can change while the page runs (theme,
 * motion, terminal font size, language); the others (pane sizes, open tabs) apply at the next load.
 */
function applySettings(values: SettingsValues): void {
  const storage = local();
  if (storage) writeSettings(storage, values);
  const s = useSettings.getState();
  const theme = values['layout.theme'];
  if (THEMES.includes(theme as Theme)) s.setTheme(theme as Theme);
  const motion = values['layout.motion'];
  if (MOTIONS.includes(motion as Motion)) s.setMotion(motion as Motion);
  const size = Number(values['layout.terminalFontSize']);
  if ((TERMINAL_FONT_SIZES as readonly number[]).includes(size)) s.setTerminalFontSize(size);
  const language = values.language;
  if (LANGUAGES.some((l) => l.code === language) && language !== i18next.language) void changeLanguage(language as Language);
}

let progressHydrated = false;
const progressBeforeHydration = new Set<string>();

async function keepProgress(lessons: readonly LessonProgress[]): Promise<void> {
  try {
    await (await labStorage()).writeProgress(lessons);
  } catch (error) {
    reportSaveFailure(error);
  }
}

onDidChangeProgress((changed) => {
  if (progressHydrated) void keepProgress(changed);
  else for (const p of changed) progressBeforeHydration.add(p.lessonId);
});

async function restoreProgress(): Promise<void> {
  try {
    const saved = await (await labStorage()).readProgress();
    useProgress.getState().hydrate(saved);
  } catch (error) {
    reportSaveFailure(error);
  }
  progressHydrated = true;
  // Steps marked before the saved progress arrived: kept merged with it.
  const lessons = useProgress.getState().lessons;
  const early = [...progressBeforeHydration].flatMap((id) => (lessons[id] ? [lessons[id]] : []));
  progressBeforeHydration.clear();
  if (early.length > 0) await keepProgress(early);
}

/** Download the whole lab (lab, settings, progress) as one versioned file. */
export async function exportLab(): Promise<void> {
  try {
    const now = new Date();
    const file = buildLabFile(await engine.saveLab(), readSettings(local()), Object.values(useProgress.getState().lessons), now);
    const url = URL.createObjectURL(new Blob([JSON.stringify(file)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = labFileName(now);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    usePersistence.getState().clear('exportFailed');
  } catch (error) {
    usePersistence.getState().show({ kind: 'exportFailed', message: describeError(error) });
  }
}

/** Why an import was refused: the part of the file at fault and what is wrong with it. */
export interface ImportRefusal {
  part: LabFilePart;
  message: string;
}

/**
 * Replace the lab with the one in `file` (its settings and progress too). The file is checked whole
 * first (labFile.ts), then the engine checks the lab and loads it; a refusal at either step leaves
 * everything as it was and is shown. Resolves with the refusal, or undefined when imported.
 */
export async function importLab(file: File): Promise<ImportRefusal | undefined> {
  const notices = usePersistence.getState();
  const refuse = (refusal: ImportRefusal) => {
    notices.clear('imported');
    notices.show({ kind: 'importRefused', file: file.name, message: `${refusal.part}: ${refusal.message}` });
    return refusal;
  };
  let parsed;
  try {
    parsed = parseLabFile(await file.text());
  } catch (error) {
    return refuse(error instanceof LabFileError ? { part: error.part, message: error.detail } : { part: 'json', message: describeError(error) });
  }
  let lost: string[];
  try {
    lost = (await engine.loadLab(parsed.lab)).lost;
  } catch (error) {
    return refuse({ part: 'lab', message: describeError(error) });
  }
  applySettings(parsed.settings);
  const progress = progressList(parsed.progress);
  useProgress.getState().replaceAll(progress);
  try {
    await (await labStorage()).replaceProgress(progress);
  } catch (error) {
    reportSaveFailure(error);
  }
  await saveNow();
  notices.clear('importRefused');
  notices.show({ kind: 'imported', file: file.name, lost });
  return undefined;
}

/** `lab reset`: a fresh cluster, the student's files emptied, and the saved lab forgotten. */
export async function resetLab(): Promise<void> {
  try {
    await engine.resetLab();
  } catch (error) {
    usePersistence.getState().show({ kind: 'resetFailed', message: describeError(error) });
    return;
  }
  usePersistence.getState().clear('resetFailed');
  try {
    await forgetAutosave();
  } catch (error) {
    reportSaveFailure(error);
  }
  usePersistence.getState().show({ kind: 'reset' });
}
