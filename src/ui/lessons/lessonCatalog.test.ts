import { describe, expect, it } from 'vitest';
import { LessonError } from '../../lessons/format/parse.ts';
import { importedEntry, loadShipped, parseImport, shippedIds } from './lessonCatalog.ts';

const lesson = (front: string) => `---
id: mine
title: Mine
summary: A lesson of my own.
module: M0
notes: []
prerequisites: []
minutes: 1
start: {}
${front}---

## Step

\`\`\`check
command: 'true'
expect: { status: 0 }
\`\`\`
`;

describe('parseImport', () => {
  it('takes the UI language when the front matter names none', () => {
    expect(parseImport(lesson(''), 'zh-CN').language).toBe('zh-CN');
    expect(parseImport(lesson(''), 'en').language).toBe('en');
  });
  it('keeps the language the front matter names', () => {
    const parsed = parseImport(lesson('language: en\n'), 'zh-CN');
    expect(parsed).toMatchObject({ id: 'mine', language: 'en' });
    expect(parsed.lesson.steps).toHaveLength(1);
  });
  it('throws the LessonError, with its line, for a bad file', () => {
    const broken = lesson('').replace('```check', '```chek');
    expect(() => parseImport(broken, 'en')).toThrow(LessonError);
    expect(() => parseImport(broken, 'en')).toThrow(/^line 14: unknown block "chek"/);
  });
});

describe('importedEntry', () => {
  it('lists an imported file that no longer parses with its error', () => {
    const entry = importedEntry({ id: 'mine', language: 'en', text: 'not a lesson' });
    expect(entry).toMatchObject({ ref: 'import/mine', imported: true });
    expect(entry.error).toMatch(/^line 1: a lesson starts with front matter/);
  });
});

describe('loadShipped', () => {
  it('loads a shipped lesson in each language, with the same steps', async () => {
    expect(shippedIds()).toContain('container-is-a-process');
    const [en, zh] = await Promise.all([loadShipped('container-is-a-process', 'en'), loadShipped('container-is-a-process', 'zh-CN')]);
    expect([en.language, zh.language]).toEqual(['en', 'zh-CN']);
    expect(zh.steps.map((s) => s.id)).toEqual(en.steps.map((s) => s.id));
  });
  it('refuses an unknown lesson', async () => {
    await expect(loadShipped('no-such-lesson', 'en')).rejects.toThrow(/no lesson named "no-such-lesson"/);
  });
});
