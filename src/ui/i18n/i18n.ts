/**
 * UI strings in zh-CN and en (i18next). The language is the one the student chose last (remembered in
 * localStorage), else the browser's first preference that we have, else English. Kubernetes terms and
 * API kinds stay untranslated, following the Kubernetes zh-cn localization guide.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'kubelab.language';

export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // Storage can be disabled; the lab still works, it just won't remember.
  }
}

export async function initI18n(): Promise<void> {
  const lng = detectLanguage(readStored(), navigator.languages ?? [navigator.language]);
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
}

export async function changeLanguage(lng: Language): Promise<void> {
  await i18next.changeLanguage(lng);
  document.documentElement.lang = lng;
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Not remembered when storage is unavailable; the switch itself still applies.
  }
}
