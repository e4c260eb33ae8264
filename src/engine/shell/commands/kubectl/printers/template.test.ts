import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FuncError } from './goTemplate/index.ts';
import { PrinterError } from './printerError.ts';
import { decodeBase64Std, goTemplatePrinter } from './template.ts';

/**
 * testdata/goTemplate.json: each case was run through the real kubectl 1.32
 * (`kubectl annotate --local -f d.json dummy=1 -o go-template=… --allow-missing-template-keys=…`):
 * output, Go's parse and execution errors, and the debugging dump kubectl writes to stdout.
 */
interface Case {
  template: string;
  allowMissing: boolean;
  stdout: string;
  stderr: string;
  code: number;
}

const fixture = JSON.parse(readFileSync(new URL('./testdata/goTemplate.json', import.meta.url), 'utf8')) as { object: unknown; cases: Case[] };

function run(c: Case): { stdout: string; stderr: string; code: number } {
  try {
    return { stdout: goTemplatePrinter(c.template, { allowMissingKeys: c.allowMissing }).print(fixture.object), stderr: '', code: 0 };
  } catch (e) {
    if (e instanceof PrinterError) return { stdout: e.output, stderr: e.stderr, code: 1 };
    throw e;
  }
}

describe('Go templates, as kubectl 1.32 prints them', () => {
  it.each(fixture.cases.map((c) => [`${JSON.stringify(c.template)}${c.allowMissing ? '' : ' (missing keys not allowed)'}`, c] as const))('%s', (_name, c) => {
    expect(run(c)).toEqual({ stdout: c.stdout, stderr: c.stderr, code: c.code });
  });

  it('marshals an object kubectl built in its own field order for the dump', () => {
    const built = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web' } };
    const printer = goTemplatePrinter('{{.spec.x}}', { allowMissingKeys: false });
    expect(() => printer.print(built, { sortKeys: false })).toThrow(PrinterError);
    try {
      printer.print(built, { sortKeys: false });
    } catch (e) {
      expect((e as PrinterError).output).toContain('\traw data was:\n\t\t{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web"}}\n');
      expect((e as PrinterError).output).toContain('\tobject given to template engine was:\n\t\tmap[apiVersion:apps/v1 kind:Deployment metadata:map[name:web]]\n\n');
    }
  });
});

describe("base64decode: Go's base64.StdEncoding", () => {
  it.each([
    ['aGVsbG8=', 'hello'],
    ['aGVs\nbG8=', 'hello'],
    ['aGk=\r\n', 'hi'],
    ['', ''],
    ['YWJj', 'abc'],
  ])('decodes %j', (input, want) => {
    expect(new TextDecoder().decode(decodeBase64Std(input))).toBe(want);
  });

  it.each([
    ['Y', 0],
    ['YQ', 0],
    ['YQ=', 3],
    ['YQ=a', 2],
    ['YQ==YQ==', 4],
    ['Y!==', 1],
    ['=', 0],
    ['YWJjZA', 4],
  ])('rejects %j at input byte %d', (input, at) => {
    expect(() => decodeBase64Std(input)).toThrow(new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`));
  });
});
