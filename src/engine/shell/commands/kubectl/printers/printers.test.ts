import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printJson } from './json.ts';
import { printName } from './name.ts';
import { GET_FORMATS, PRINT_FORMATS, parseOutputFormat } from './outputFormat.ts';
import { PrinterError } from './printerError.ts';
import { printYaml, printYamlDocuments } from './yaml.ts';

/**
 * Fixtures from the real kubectl 1.32: testdata/{p,q,r}.json and .yaml are `kubectl annotate --local
 * -f x.json dummy=1 -o json|yaml` of objects full of strings go-yaml must quote, fold or block;
 * testdata/printers.json holds `kubectl get` (against a stub apiserver) and `annotate --local` outputs.
 */
function testdata(name: string): string {
  return readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
}

interface Run {
  stdout: string;
  stderr: string;
}

const fx = JSON.parse(testdata('printers.json')) as {
  documents: { objects: unknown[]; yaml: Run; json: Run; name: Run };
  list: { pods: unknown[]; deployments: unknown[]; json: Run; yaml: Run; emptyJson: Run; emptyYaml: Run; name: Run };
  createName: Run;
  formats: Record<string, { get: string; annotate: string }>;
};

describe('printJson and printYaml', () => {
  it.each(['p', 'q', 'r'])('print %s.json as kubectl does', (name) => {
    const json = testdata(`${name}.json`);
    const obj: unknown = JSON.parse(json);
    expect(printJson(obj)).toBe(json);
    expect(printYaml(obj)).toBe(testdata(`${name}.yaml`));
  });

  it('prints a realistic Deployment (last-applied-configuration, folded strings, env values)', () => {
    const json = testdata('deployment.json');
    expect(printJson(JSON.parse(json))).toBe(json);
    expect(printYaml(JSON.parse(json))).toBe(testdata('deployment.yaml'));
  });

  it('keeps a typed object in its struct order when asked', () => {
    const json = testdata('create-deployment.json');
    expect(printJson(JSON.parse(json), { sortKeys: false })).toBe(json);
    expect(printYaml(JSON.parse(json))).toBe(testdata('create-deployment.yaml'));
  });

  it('prints a list request as a List', () => {
    expect(printJson(fx.list.pods)).toBe(fx.list.json.stdout);
    expect(printYaml(fx.list.pods)).toBe(fx.list.yaml.stdout);
    expect(printJson([])).toBe(fx.list.emptyJson.stdout);
    expect(printYaml([])).toBe(fx.list.emptyYaml.stdout);
  });

  it('prints objects one by one, YAML documents separated by ---', () => {
    expect(printYamlDocuments(fx.documents.objects)).toBe(fx.documents.yaml.stdout);
    expect(fx.documents.objects.map((o) => printJson(o)).join('')).toBe(fx.documents.json.stdout);
  });
});

describe('printName', () => {
  it('names objects kind.group/name', () => {
    expect(printName(fx.documents.objects)).toBe(fx.documents.name.stdout);
    expect(printName([...fx.list.pods, ...fx.list.deployments])).toBe(fx.list.name.stdout);
    expect(printName({ apiVersion: 'v1', kind: 'List', items: fx.list.deployments })).toBe('deployment.apps/web\ndeployment.apps/api-server-long-name\n');
  });

  it('adds the operation', () => {
    expect(printName({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } })).toBe(fx.createName.stdout);
    expect(printName({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, { operation: 'created (dry run)' })).toBe('deployment.apps/web created (dry run)\n');
  });

  it('refuses an object without a kind', () => {
    expect(() => printName({ metadata: { name: 'x' } })).toThrow('missing apiVersion or kind; try GetObjectKind().SetGroupVersionKind() if you know the type');
  });
});

describe('parseOutputFormat', () => {
  const cases = Object.entries(fx.formats).flatMap(([value, r]) => [
    [value, 'get', GET_FORMATS, r.get] as const,
    [value, 'annotate', PRINT_FORMATS, r.annotate] as const,
  ]);

  it.each(cases)('-o %s for kubectl %s', (value, _command, allowed, stderr) => {
    let got = '';
    try {
      parseOutputFormat(value, allowed);
    } catch (e) {
      if (!(e instanceof PrinterError)) throw e;
      got = e.stderr;
    }
    expect(got).toBe(stderr.startsWith('error: ') ? stderr : '');
  });

  it.each([
    ['', { kind: 'default' }],
    ['wide', { kind: 'wide' }],
    ['JSON', { kind: 'json' }],
    ['jsonpath={.a}', { kind: 'jsonpath', template: '{.a}', asJson: false }],
    ['jsonpath-as-json={.a}', { kind: 'jsonpath', template: '{.a}', asJson: true }],
    ['jsonpath-file=/tmp/t', { kind: 'jsonpath-file', path: '/tmp/t' }],
    ['custom-columns=A:.a', { kind: 'custom-columns', spec: 'A:.a' }],
    ['custom-columns-file=/tmp/c', { kind: 'custom-columns-file', path: '/tmp/c' }],
    ['go-template={{.a}}', { kind: 'go-template', template: '{{.a}}' }],
    ['template={{.a}}', { kind: 'go-template', template: '{{.a}}' }],
    ['go-template-file=/tmp/t', { kind: 'go-template-file', path: '/tmp/t' }],
    ['templatefile=/tmp/t', { kind: 'go-template-file', path: '/tmp/t' }],
  ])('reads -o %j', (value, want) => {
    expect(parseOutputFormat(value)).toEqual(want);
  });

  // kubectl 1.32: `kubectl annotate --local -f d.json dummy=1 -o <value> --template=<t>`.
  it.each([
    ['', '{{.a}}', { kind: 'go-template', template: '{{.a}}' }],
    ['go-template', '{{.a}}', { kind: 'go-template', template: '{{.a}}' }],
    ['template', '{{.a}}', { kind: 'go-template', template: '{{.a}}' }],
    ['go-template-file', '/tmp/t', { kind: 'go-template-file', path: '/tmp/t' }],
    ['jsonpath', '{.a}', { kind: 'jsonpath', template: '{.a}', asJson: false }],
    ['json', '{{.a}}', { kind: 'json' }],
    ['name', '{{.a}}', { kind: 'name' }],
    ['custom-columns', 'A:.a', { kind: 'custom-columns', spec: 'A:.a' }],
  ])('reads -o %j --template=%j', (value, template, want) => {
    expect(parseOutputFormat(value, GET_FORMATS, template)).toEqual(want);
  });

  it.each([
    ['go-template={{.kind}}', '{{.kind}}', 'unable to match a printer suitable for the output format "go-template={{.kind}}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml'],
    ['jsonpath={.kind}', '{{.kind}}', 'unable to match a printer suitable for the output format "jsonpath={.kind}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml'],
    ['go-template-file=/x', '/y', 'unable to match a printer suitable for the output format "go-template-file=/x", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml'],
    ['template', '', 'template format specified but no template given'],
  ])('refuses -o %j with --template=%j as kubectl does', (value, template, message) => {
    expect(() => parseOutputFormat(value, PRINT_FORMATS, template)).toThrow(new PrinterError(message));
  });
});
