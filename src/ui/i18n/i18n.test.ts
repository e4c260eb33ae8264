import { describe, expect, it } from 'vitest';
import { detectLanguage } from './i18n.ts';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** Plural forms differ by language (_one exists only in English), so compare without them. */
const base = (list: string[]) => [...new Set(list.map((k) => k.replace(/_(one|other)$/, '')))].sort();

describe('i18n', () => {
  it.each([
    [null, ['zh-TW', 'en'], 'zh-CN'],
    [null, ['fr', 'en-GB'], 'en'],
    [null, ['fr'], 'en'],
    ['en', ['zh-CN'], 'en'],
    ['zh-CN', ['en'], 'zh-CN'],
    ['klingon', ['zh'], 'zh-CN'],
  ])('stored %s and browser %j → %s', (stored, preferred, expected) => {
    expect(detectLanguage(stored, preferred)).toBe(expected);
  });

  it('has every English string in Chinese too', () => {
    expect(base(keys(zhCN))).toEqual(base(keys(en)));
  });
});
