import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customColumnsFromFile, parseCustomColumns, printCustomColumns, relaxedJsonPathExpression } from './customColumns.ts';
import { PrinterError } from './printerError.ts';

/** testdata/customColumns.json: `kubectl get pods -o custom-columns=…` (real kubectl 1.32) against a stub apiserver serving `list`. */
interface Case {
  spec: string;
  noHeaders: boolean;
  list: unknown;
  stdout: string;
  stderr: string;
}

const cases = JSON.parse(readFileSync(new URL('./testdata/customColumns.json', import.meta.url), 'utf8')) as Case[];

function run(c: Case): { stdout: string; stderr: string } {
  try {
    return { stdout: printCustomColumns(parseCustomColumns(c.spec), c.list, { noHeaders: c.noHeaders }), stderr: '' };
  } catch (e) {
    if (e instanceof PrinterError) return { stdout: e.output, stderr: e.stderr };
    throw e;
  }
}

describe('printCustomColumns, as kubectl get 1.32 prints -o custom-columns', () => {
  it.each(cases.map((c) => [c.spec, c] as const))('custom-columns=%s', (_spec, c) => {
    expect(run(c)).toEqual({ stdout: c.stdout, stderr: c.stderr });
  });
});

describe('custom-columns specs', () => {
  it.each([
    ['.metadata.name', '{.metadata.name}'],
    ['metadata.name', '{.metadata.name}'],
    ['{metadata.name}', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['', ''],
  ])('relaxes %j to %j', (path, want) => {
    expect(relaxedJsonPathExpression(path)).toBe(want);
  });

  it('reads a custom-columns file', () => {
    expect(customColumnsFromFile('NAME   IMAGE\nmetadata.name  {.spec.containers[0].image}\n')).toEqual([
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'IMAGE', fieldSpec: '{.spec.containers[0].image}' },
    ]);
    expect(() => customColumnsFromFile('A B\n.x\n')).toThrow("number of headers (2) and field specifications (1) don't match");
  });
});
