import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonPathPrinter, printJsonPath } from './jsonpath.ts';
import { PrinterError } from './printerError.ts';

/**
 * testdata/jsonpath.json: each case was run through the real kubectl 1.32
 * (`kubectl annotate --local -f d.json dummy=1 -o jsonpath=… --allow-missing-template-keys=…`).
 */
interface Case {
  format: 'jsonpath' | 'jsonpath-as-json';
  template: string;
  allowMissing: boolean;
  stdout: string;
  stderr: string;
  code: number;
  /** Visits map keys, which Go does in random order: compared as a multiset of words. */
  unordered?: boolean;
}

const fixture = JSON.parse(readFileSync(new URL('./testdata/jsonpath.json', import.meta.url), 'utf8')) as { object: unknown; cases: Case[] };

function run(c: Case): { stdout: string; stderr: string; code: number } {
  try {
    const jp = jsonPathPrinter(c.template, { allowMissingKeys: c.allowMissing, outputJson: c.format === 'jsonpath-as-json' });
    return { stdout: printJsonPath(jp, fixture.object), stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof PrinterError) return { stdout: '', stderr: e.stderr, code: 1 };
    throw e;
  }
}

describe('JsonPath, as kubectl 1.32 prints it', () => {
  it.each(fixture.cases.map((c) => [`${c.format}=${c.template}${c.allowMissing ? '' : ' (missing keys not allowed)'}`, c] as const))('%s', (_name, c) => {
    const got = run(c);
    if (c.unordered) {
      expect(got.stdout.split(' ').sort()).toEqual(c.stdout.split(' ').sort());
      expect(got.stdout).not.toBe('');
    } else {
      expect(got).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
    }
  });
});
