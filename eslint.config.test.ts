// Proves the house rules in eslint.config.js fire: each probe breaks one rule, as if it were a file at
// the given path, and must be reported with the message that says what to use instead.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

async function messages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const ENGINE_FILE = 'src/engine/base/probe.ts';

describe('house rules in lint', () => {
  it.each([
    ['Date.now()', 'export const t = Date.now();\n', 'no-restricted-properties', 'use clock.now()'],
    ['new Date() without an argument', 'export const d = new Date();\n', 'no-restricted-syntax', 'use new Date(clock.now())'],
    ['Math.random()', 'export const r = Math.random();\n', 'no-restricted-properties', 'use a SeededRng'],
    ['setTimeout', 'setTimeout(() => {}, 1);\n', 'no-restricted-globals', 'use clock.after(ms, fn)'],
    ['setInterval', 'setInterval(() => {}, 1);\n', 'no-restricted-globals', 'use clock.every(ms, fn)'],
    ['performance.now()', 'export const p = performance.now();\n', 'no-restricted-properties', 'use clock.now()'],
    ['window', 'export const w = window;\n', 'no-restricted-globals', 'has no DOM'],
    ['document', 'export const d = document;\n', 'no-restricted-globals', 'has no DOM'],
    ['react', "import { useState } from 'react';\nexport const u = useState;\n", 'no-restricted-imports', 'must not import React'],
    ['d3', "import * as d3 from 'd3';\nexport const x = d3;\n", 'no-restricted-imports', 'must not import d3'],
    ['xterm', "import { Terminal } from '@xterm/xterm';\nexport const x = Terminal;\n", 'no-restricted-imports', 'must not import xterm'],
    ['monaco', "import * as monaco from 'monaco-editor';\nexport const x = monaco;\n", 'no-restricted-imports', 'must not import Monaco'],
    ['comlink', "import * as Comlink from 'comlink';\nexport const x = Comlink;\n", 'no-restricted-imports', 'must not import comlink'],
    ['the UI', "import { App } from '../../ui/App.tsx';\nexport const x = App;\n", 'kubelab/layers', 'must not import the UI'],
    ['the worker', "import { PROTOCOL } from '../../workers/engineApi.ts';\nexport const x = PROTOCOL;\n", 'kubelab/layers', 'must not import src/workers'],
    ['lessons', "export * from '../../lessons/index.ts';\n", 'kubelab/layers', 'must not import lessons'],
  ])('engine code may not use %s', async (_what, code, rule, advice) => {
    const found = await messages(ENGINE_FILE, code);
    expect(found.some((m) => m.startsWith(`${rule}:`) && m.includes(advice)), found.join('\n')).toBe(true);
  });

  it('allows what the engine should use instead', async () => {
    const code = "import { Clock } from './clock.ts';\nconst clock = new Clock();\nexport const d = new Date(clock.now());\nclock.after(5, () => {});\n";
    expect(await messages(ENGINE_FILE, code)).toEqual([]);
  });

  it('allows the engine\'s own tests to use real time for the harness', async () => {
    expect(await messages('src/engine/base/probe.test.ts', 'export const t = () => new Promise((r) => setTimeout(r, 0));\n')).toEqual([]);
  });

  it('lets the UI import engine types but not engine code', async () => {
    const typeOnly = "import type { Clock } from '../../engine/base/clock.ts';\nexport type C = Clock;\n";
    expect(await messages('src/ui/topbar/Probe.tsx', typeOnly)).toEqual([]);
    const value = "import { Clock } from '../../engine/base/clock.ts';\nexport const c = new Clock();\n";
    expect(await messages('src/ui/topbar/Probe.tsx', value)).toEqual([
      'kubelab/layers: The UI may import engine types only (`import type`): it talks to the engine through src/ui/engine/client.ts and the worker.',
    ]);
  });

  it('tells the UI\'s own engine client apart from the engine', async () => {
    expect(await messages('src/ui/terminal/Probe.tsx', "import { engine } from '../engine/client.ts';\nexport const e = engine;\n")).toEqual([]);
    expect(await messages('src/ui/Probe.tsx', "import { Lab } from '../engine/cluster/lab.ts';\nexport const l = Lab;\n")).toHaveLength(1);
  });
});
