/**
 * The Lessons pane's state, in the first paint (small: the player itself is loaded on demand): whether
 * the pane is shown, whether it shows the list or a lesson, which lesson and where in it (its place), and
 * the lesson files the student imported. The pane, the view and the place are remembered in localStorage
 * (paneSize.ts's writeChoice, so the persistence keeps them with the other choices); the imported files
 * too, under a key of their own, as long as storage takes them (else they last for the page's life).
 */
import { create } from 'zustand';
import type { LessonLanguage } from '../../lessons/format/types.ts';
import { readChoice, writeChoice } from '../layout/paneSize.ts';
import { formatPlace, parsePlace, type LessonRef } from './lessonModel.ts';

export interface ImportedSource {
  /** The lesson's id (from its front matter). */
  id: string;
  language: LessonLanguage;
  text: string;
}

export interface LessonsState {
  paneOpen: boolean;
  view: 'list' | 'lesson';
  /** The lesson last opened, and its position (0: introduction, 1…N: steps). */
  place: { ref: LessonRef; position: number } | undefined;
  imported: ImportedSource[];
  setPaneOpen(open: boolean): void;
  /** The top bar's picker: show the list (opening the pane), or close the pane when it shows the list. */
  pick(): void;
  showList(): void;
  openLesson(ref: LessonRef, position: number): void;
  setPosition(position: number): void;
  addImported(source: ImportedSource): void;
}

const ON_OFF = ['on', 'off'] as const;
const VIEWS = ['list', 'lesson'] as const;
const PLACE_KEY = 'lessons.place';
/** Not under `kubelab.`: lesson files are not settings, and a lab file does not carry them. */
const IMPORTED_KEY = 'kubelab-lessons.imported';
const MAX_IMPORTED = 20;

/** The remembered place (writeChoice's key; readChoice only reads from a fixed list). */
function readPlace(): LessonsState['place'] {
  try {
    return parsePlace(localStorage.getItem(`kubelab.layout.${PLACE_KEY}`));
  } catch {
    return undefined; // Storage can be disabled: nothing remembered.
  }
}

function readImported(): ImportedSource[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(IMPORTED_KEY) ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.filter((s): s is ImportedSource => typeof s === 'object' && s !== null && typeof s.id === 'string' && (s.language === 'en' || s.language === 'zh-CN') && typeof s.text === 'string').slice(0, MAX_IMPORTED);
  } catch {
    return [];
  }
}

function writeImported(imported: ImportedSource[]): void {
  try {
    localStorage.setItem(IMPORTED_KEY, JSON.stringify(imported));
  } catch {
    return; // Too big for storage, or none: the imports last for this page.
  }
}

export const useLessons = create<LessonsState>()((set, get) => ({
  paneOpen: readChoice('lessons.pane', ON_OFF, 'off') === 'on',
  view: readChoice('lessons.view', VIEWS, 'list'),
  place: readPlace(),
  imported: readImported(),
  setPaneOpen(open) {
    writeChoice('lessons.pane', open ? 'on' : 'off');
    set({ paneOpen: open });
  },
  pick() {
    const { paneOpen, view } = get();
    if (paneOpen && view === 'list') {
      get().setPaneOpen(false);
      return;
    }
    get().showList();
    get().setPaneOpen(true);
  },
  showList() {
    writeChoice('lessons.view', 'list');
    set({ view: 'list' });
  },
  openLesson(ref, position) {
    writeChoice('lessons.view', 'lesson');
    writeChoice(PLACE_KEY, formatPlace(ref, position));
    set({ view: 'lesson', place: { ref, position } });
  },
  setPosition(position) {
    const place = get().place;
    if (!place || place.position === position) return;
    writeChoice(PLACE_KEY, formatPlace(place.ref, position));
    set({ place: { ref: place.ref, position } });
  },
  addImported(source) {
    const imported = [...get().imported.filter((s) => s.id !== source.id), source].slice(-MAX_IMPORTED);
    writeImported(imported);
    set({ imported });
  },
}));
