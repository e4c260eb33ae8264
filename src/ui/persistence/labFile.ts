/**
 * The exported lab file (`kubelab-<date>.kubelab.json`): one JSON document that holds a whole lab —
 * `{ format: "kubelab-lab", version, exportedAt, lab, settings, progress }` — where `lab` is the engine's
 * LabImage (src/engine/cluster/labImage.ts), `settings` the remembered choices (settingsValues.ts) and
 * `progress` each lesson's completed steps.
 *
 * Reading a file (`parseLabFile`) checks it whole before anything uses it, and a bad one throws a
 * LabFileError naming the part that is wrong (`json`, `format`, `version`, `exportedAt`, `lab`,
 * `settings`, `progress`) and why. The lab image itself is checked here only for its envelope (an object
 * that says it is a kubelab lab): the engine checks the rest (etcd snapshot and checksum included) in
 * `loadLab` and refuses a bad one without touching the running lab.
 *
 * Versions: a file is migrated step by step (MIGRATIONS, each `{ from, to, migrate }`, applied in order
 * from the file's version to LAB_FILE_VERSION), as tldraw migrates its stores; a file newer than this
 * Kubelab knows is refused. Version 1 is the first, so the list starts empty; the chain is checked in
 * tests.
 */
import type { LabImage } from '../../workers/engineApi.ts';
import type { LessonProgress, SettingsValues } from './storage.ts';

export const LAB_FILE_FORMAT = 'kubelab-lab';
export const LAB_FILE_VERSION = 1;

export interface LabFile {
  format: typeof LAB_FILE_FORMAT;
  version: typeof LAB_FILE_VERSION;
  /** When the file was written (ISO 8601). */
  exportedAt: string;
  lab: LabImage;
  settings: SettingsValues;
  /** Each lesson's progress, by lesson id. */
  progress: Record<string, { done: string[]; updatedAt: number }>;
}

/** The parts of a file a LabFileError can name. */
export type LabFilePart = 'json' | 'format' | 'version' | 'exportedAt' | 'lab' | 'settings' | 'progress';

export class LabFileError extends Error {
  constructor(
    readonly part: LabFilePart,
    readonly detail: string,
  ) {
    super(`${part}: ${detail}`);
    this.name = 'LabFileError';
  }
}

/** One step of the file format: turns a version-`from` document into a version-`to` one. */
export interface Migration {
  from: number;
  to: number;
  migrate(file: Record<string, unknown>): Record<string, unknown>;
}

/** The format's history, oldest first. Version 1 is the first: nothing to migrate yet. */
export const MIGRATIONS: readonly Migration[] = [];

/** Throws when `migrations` is not one unbroken chain of single steps ending at `current`. */
export function checkMigrations(migrations: readonly Migration[], current: number): void {
  migrations.forEach((m, i) => {
    if (m.to !== m.from + 1) throw new Error(`migration ${i} goes from version ${m.from} to ${m.to}: each step must go up by one`);
    if (i > 0 && migrations[i - 1]!.to !== m.from) throw new Error(`migration ${i} starts at version ${m.from}, but the one before ends at ${migrations[i - 1]!.to}`);
  });
  const last = migrations.at(-1);
  if (last && last.to !== current) throw new Error(`the migrations end at version ${last.to}, not at the current version ${current}`);
}

/** `doc` brought from its `version` to `current` by `migrations`, or a LabFileError. */
export function migrate(doc: Record<string, unknown>, migrations: readonly Migration[] = MIGRATIONS, current: number = LAB_FILE_VERSION): Record<string, unknown> {
  checkMigrations(migrations, current);
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new LabFileError('version', `expected a whole number from 1, got ${show(version)}`);
  if (version > current) throw new LabFileError('version', `the file is version ${version}, newer than this Kubelab reads (up to ${current}): update Kubelab to open it`);
  const oldest = migrations[0]?.from ?? current;
  if (version < oldest) throw new LabFileError('version', `version ${version} is older than any this Kubelab can migrate (from ${oldest})`);
  let out = doc;
  for (const m of migrations) {
    if (m.from < (out.version as number)) continue;
    try {
      out = { ...m.migrate(out), version: m.to };
    } catch (error) {
      throw new LabFileError('version', `migrating from version ${m.from} to ${m.to} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return out;
}

/** Read a lab file's text: the whole file checked and migrated, or a LabFileError saying which part is wrong. */
export function parseLabFile(text: string, migrations: readonly Migration[] = MIGRATIONS, current: number = LAB_FILE_VERSION): LabFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new LabFileError('json', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(raw)) throw new LabFileError('format', `expected a JSON object, got ${show(raw)}`);
  if (raw.format !== LAB_FILE_FORMAT) throw new LabFileError('format', `expected "${LAB_FILE_FORMAT}", got ${show(raw.format)}: this is not a Kubelab lab file`);
  const doc = migrate(raw, migrations, current);
  return {
    format: LAB_FILE_FORMAT,
    version: LAB_FILE_VERSION,
    exportedAt: checkExportedAt(doc.exportedAt),
    lab: checkLab(doc.lab),
    settings: checkSettings(doc.settings),
    progress: checkProgress(doc.progress),
  };
}

/** A lab file for `lab`, `settings` and `progress`, written now. */
export function buildLabFile(lab: LabImage, settings: SettingsValues, progress: readonly LessonProgress[], now: Date): LabFile {
  return {
    format: LAB_FILE_FORMAT,
    version: LAB_FILE_VERSION,
    exportedAt: now.toISOString(),
    lab,
    settings: { ...settings },
    progress: Object.fromEntries(progress.map((p) => [p.lessonId, { done: [...p.done], updatedAt: p.updatedAt }])),
  };
}

/** `kubelab-2026-11-24.kubelab.json`: the file's name, by the local date. */
export function labFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `kubelab-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.kubelab.json`;
}

/** The lessons in a file's progress, as the progress store keeps them. */
export function progressList(progress: LabFile['progress']): LessonProgress[] {
  return Object.entries(progress).map(([lessonId, p]) => ({ lessonId, done: [...p.done], updatedAt: p.updatedAt }));
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_SETTINGS = 200;
const MAX_VALUE = 1000;
const MAX_ID = 200;

/** Settings as a file or the database holds them: at most 200 keys like `layout.theme`, each a short string. */
export function checkSettings(value: unknown, part: LabFilePart = 'settings'): SettingsValues {
  if (!isObject(value)) throw new LabFileError(part, `expected an object of settings, got ${show(value)}`);
  const entries = Object.entries(value);
  if (entries.length > MAX_SETTINGS) throw new LabFileError(part, `${entries.length} settings, more than the ${MAX_SETTINGS} a lab has`);
  const out: SettingsValues = {};
  for (const [key, v] of entries) {
    if (!KEY.test(key)) throw new LabFileError(part, `${JSON.stringify(key.slice(0, 40))} is not a setting's name (letters, digits, ".", "_", "-")`);
    if (typeof v !== 'string') throw new LabFileError(part, `${key}: expected a string, got ${show(v)}`);
    if (v.length > MAX_VALUE) throw new LabFileError(part, `${key}: ${v.length} characters, more than ${MAX_VALUE}`);
    out[key] = v;
  }
  return out;
}

/** Progress by lesson id: each `{ done: [step ids], updatedAt }`. */
export function checkProgress(value: unknown, part: LabFilePart = 'progress'): LabFile['progress'] {
  if (!isObject(value)) throw new LabFileError(part, `expected an object of lessons, got ${show(value)}`);
  const out: LabFile['progress'] = {};
  for (const [lessonId, p] of Object.entries(value)) {
    if (lessonId === '' || lessonId.length > MAX_ID) throw new LabFileError(part, `a lesson id must be 1 to ${MAX_ID} characters`);
    if (!isObject(p)) throw new LabFileError(part, `${lessonId}: expected an object, got ${show(p)}`);
    if (!Array.isArray(p.done)) throw new LabFileError(part, `${lessonId}.done: expected an array of step ids, got ${show(p.done)}`);
    const done: string[] = [];
    p.done.forEach((step: unknown, i) => {
      if (typeof step !== 'string' || step === '' || step.length > MAX_ID) throw new LabFileError(part, `${lessonId}.done[${i}]: expected a step id (1 to ${MAX_ID} characters), got ${show(step)}`);
      if (!done.includes(step)) done.push(step);
    });
    if (typeof p.updatedAt !== 'number' || !Number.isFinite(p.updatedAt) || p.updatedAt < 0) throw new LabFileError(part, `${lessonId}.updatedAt: expected a time in ms, got ${show(p.updatedAt)}`);
    out[lessonId] = { done, updatedAt: p.updatedAt };
  }
  return out;
}

function checkExportedAt(value: unknown): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new LabFileError('exportedAt', `expected a date and time, got ${show(value)}`);
  return value;
}

/** The image's envelope only: the engine checks the rest (loadLab). */
function checkLab(value: unknown): LabImage {
  if (!isObject(value)) throw new LabFileError('lab', `expected the lab image (an object), got ${show(value)}`);
  if (value.format !== LAB_FILE_FORMAT) throw new LabFileError('lab', `format: expected "${LAB_FILE_FORMAT}", got ${show(value.format)}`);
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) throw new LabFileError('lab', `version: expected a whole number from 1, got ${show(value.version)}`);
  return value as unknown as LabImage;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}
