/**
 * `kubelab lesson FILE|DIR …` — check lesson files as the lesson CI does, for an instructor writing one:
 * each file is parsed (a bad one is refused with the line and the reason), its starting cluster built
 * headless, and every step's checks must fail before its solution and pass after. A directory means its
 * en.md and zh-CN.md. `-v` prints each check's result and each solution command's output.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LessonError, parseLesson } from '../lessons/format/parse.ts';
import { LESSON_LANGUAGES, type LessonLanguage } from '../lessons/format/types.ts';
import { proveLesson, type ProofEvent } from '../workers/lessons/proveLesson.ts';

const EXIT_USAGE = 2;

async function filesOf(arg: string): Promise<string[]> {
  const s = await stat(arg);
  return s.isDirectory() ? LESSON_LANGUAGES.map((l) => join(arg, `${l}.md`)) : [arg];
}

function languageOf(file: string): LessonLanguage | undefined {
  const name = basename(file, '.md');
  return (LESSON_LANGUAGES as readonly string[]).includes(name) ? (name as LessonLanguage) : undefined;
}

function describe(e: ProofEvent): string {
  if (e.command) {
    const out = `${e.command.result.stdout}${e.command.result.stderr}`.trimEnd();
    const shown = out.split('\n').slice(-8).join('\n');
    return `  step ${e.step} solution on ${e.command.session}: ${e.command.commands.split('\n').join(' ; ')} → exit ${e.command.result.status}${shown ? `\n${shown.replace(/^/gm, '    | ')}` : ''}`;
  }
  return (e.results ?? []).map((r) => `  step ${e.step} ${e.phase}: ${r.id} ${r.passed ? 'passes' : `fails: ${r.detail}`}`).join('\n');
}

export async function lessonCommand(args: string[]): Promise<number> {
  const verbose = args.includes('-v') || args.includes('--verbose');
  const paths = args.filter((a) => a !== '-v' && a !== '--verbose');
  const unknown = paths.find((a) => a.startsWith('-'));
  if (unknown || paths.length === 0) {
    process.stderr.write(`kubelab lesson: ${unknown ? `unknown flag: ${unknown}` : 'name a lesson file or directory'}\nRun 'kubelab --help' for usage.\n`);
    return EXIT_USAGE;
  }
  let failed = 0;
  for (const arg of paths) {
    let files: string[];
    try {
      files = await filesOf(arg);
    } catch {
      process.stderr.write(`kubelab lesson: cannot read ${arg}: no such file or directory\n`);
      return EXIT_USAGE;
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        process.stderr.write(`${file}: cannot read: no such file or directory\n`);
        failed++;
        continue;
      }
      try {
        const lesson = parseLesson(text, languageOf(file));
        for (const w of lesson.warnings) process.stdout.write(`${file}: ${w}\n`);
        const proof = await proveLesson(lesson, { yieldToHost: () => new Promise((r) => setImmediate(r)), onEvent: verbose ? (e) => process.stdout.write(`${describe(e)}\n`) : undefined });
        if (proof.ok) process.stdout.write(`${file}: ok — ${lesson.steps.length} steps, ${lesson.steps.reduce((n, s) => n + s.parts.filter((p) => p.type === 'check').length, 0)} checks, ${Math.round(proof.virtualMs / 1000)}s of cluster time\n`);
        else {
          failed++;
          for (const p of proof.problems) process.stdout.write(`${file}: ${p}\n`);
        }
      } catch (error) {
        if (!(error instanceof LessonError)) throw error;
        failed++;
        process.stdout.write(`${file}: ${error.message}\n`);
      }
    }
  }
  return failed > 0 ? 1 : 0;
}
