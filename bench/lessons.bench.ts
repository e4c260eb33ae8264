/**
 * Lessons (src/workers/lessons/): what a student waits for and what the lesson CI costs. Figures: wall
 * time to build a lesson's starting cluster (the lab's default layout, settled: what "Start lesson" and
 * "Reset lesson" do), the wall time of one check as the player evaluates it (a `kubectl get -o json` read
 * with a JSONPath; watched checks run about once a second), and the lesson CI's wall time for every
 * shipped lesson in both languages (the `npm test` share of the lessons).
 */
import { Lab } from '../src/engine/cluster/lab.ts';
import { parseLesson } from '../src/lessons/format/parse.ts';
import { readdir, readFile } from 'node:fs/promises';
import { LESSON_LANGUAGES } from '../src/lessons/format/types.ts';
import { evaluateCheck, runLive, startLesson } from '../src/workers/lessons/lessonRunner.ts';
import { proveLesson } from '../src/workers/lessons/proveLesson.ts';
import { median, percentile, type Benchmark, type Figure } from './benchmark.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

export const lessonsBenchmark: Benchmark = {
  id: 'lessons',
  title: 'lessons: starting clusters, checks, the lesson CI',
  async run(): Promise<Figure[]> {
    const lab = new Lab({ seed: 1 });
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await startLesson(lab, { workers: 2 }, yieldToHost, { keepPaused: true });
      starts.push(performance.now() - t);
    }
    const check = { id: 'c', session: 'laptop', command: 'kubectl get deployment coredns -n kube-system -o json', expect: { jsonpath: '{.status.readyReplicas}', atLeast: 1 }, hints: {} };
    const checks: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const result = await evaluateCheck(check, (script, target) => runLive(lab, script, target));
      checks.push(performance.now() - t);
      if (!result.passed) throw new Error(`bench: the check failed: ${result.detail}`);
    }
    lab.cluster.shutdown();

    // The shipped lessons, read as the CLI does (src/lessons/index.ts globs them for Vite).
    const dir = new URL('../src/lessons/', import.meta.url);
    const ids = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== 'format').map((e) => e.name);
    let ci = 0;
    let files = 0;
    for (const id of ids) {
      for (const language of LESSON_LANGUAGES) {
        const lesson = parseLesson(await readFile(new URL(`${id}/${language}.md`, dir), 'utf8'), language);
        files++;
        const t = performance.now();
        await proveLesson(lesson, { yieldToHost });
        ci += performance.now() - t;
      }
    }
    return [
      { name: 'lesson: start (the default cluster, settled)', value: Math.round(median(starts)), unit: 'ms', note: 'median of 3, wall time' },
      { name: 'lesson: one check, p95', value: Math.round(percentile(checks, 95) * 10) / 10, unit: 'ms', note: 'kubectl get -o json + JSONPath, 30 runs' },
      { name: 'lesson CI: every lesson, both languages', value: Math.round(ci / 1000), unit: 's', note: `${files} lesson files` },
    ];
  },
};
