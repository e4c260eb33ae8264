import { describe, expect, it } from 'vitest';
import { Template } from './template.ts';
import { TemplateExecError } from './exec.ts';
import { dataValue } from './value.ts';

const data = dataValue({
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'web' } }, spec: { replicas: 3 } },
    { metadata: { name: 'b' }, spec: { replicas: 1, ratio: 0.5 } },
  ],
  none: null,
});

function run(text: string, missingKey: 'default' | 'error' = 'default'): string {
  try {
    return Template.parse('output', text).execute(data, missingKey);
  } catch (e) {
    if (e instanceof TemplateExecError) return `${e.output}ERROR ${e.message}`;
    throw e;
  }
}

// Semantics as Go 1.23's text/template has them (and kubectl 1.32 shows them, ../testdata/goTemplate.json).
describe('execute', () => {
  it.each([
    ['{{range .items}}{{.metadata.name}}:{{.spec.replicas}} {{end}}', 'a:3 b:1 '],
    ['{{range $i, $e := .items}}{{$i}}={{$e.metadata.name}},{{end}}', '0=a,1=b,'],
    ['{{range .items}}{{if .metadata.labels}}{{.metadata.labels.app}}{{else}}-{{end}}{{end}}', 'web-'],
    ['{{range .items}}{{if gt .spec.replicas 2}}{{continue}}{{end}}{{.metadata.name}}{{end}}', 'b'],
    ['{{range .items}}{{.metadata.name}}{{break}}{{end}}', 'a'],
    ['{{with index .items 1}}{{.spec.ratio}}{{end}}', '0.5'],
    ['{{.nope}}|{{.nope.deeper}}|{{.none}}', '<no value>|<no value>|<no value>'],
    ['{{$n := 0}}{{range .items}}{{$n = .spec.replicas}}{{end}}{{$n}}', '1'],
    ['{{define "name"}}<{{.metadata.name}}>{{end}}{{range .items}}{{template "name" .}}{{end}}', '<a><b>'],
    ['{{len .items}} {{printf "%T" (len .items)}} {{index .items 0 "metadata" "name"}}', '2 int a'],
    ['{{.items | len | printf "%03d"}}', '002'],
    ['{{.none.x}}', 'ERROR template: output:1:7: executing "output" at <.none.x>: nil pointer evaluating interface {}.x'],
    ['{{.kind.x}}', 'ERROR template: output:1:7: executing "output" at <.kind.x>: can\'t evaluate field x in type interface {}'],
    ['ok {{eq .kind 1}}', 'ok ERROR template: output:1:5: executing "output" at <eq .kind 1>: error calling eq: incompatible types for comparison'],
    ['{{index .items 2}}', 'ERROR template: output:1:2: executing "output" at <index .items 2>: error calling index: reflect: slice index out of range'],
    ['{{range .kind}}{{end}}', 'ERROR template: output:1:8: executing "output" at <.kind>: range can\'t iterate over List'],
    ['{{template "t"}}', 'ERROR template: output:1:11: executing "output" at <{{template "t"}}>: template "t" not defined'],
    ['{{define "t"}}{{.x.y}}{{end}}{{template "t" .items}}', 'ERROR template: output:1:18: executing "t" at <.x.y>: can\'t evaluate field x in type []interface {}'],
    ['\n  {{.kind 1}}', '\n  ERROR template: output:2:4: executing "output" at <.kind>: kind is not a method but has arguments'],
    ['é{{nil}}', 'éERROR template: output:1:4: executing "output" at <nil>: nil is not a command'],
  ])('%j', (text, want) => {
    expect(run(text)).toBe(want);
  });

  it.each([
    ['{{.nope}}', 'ERROR template: output:1:2: executing "output" at <.nope>: map has no entry for key "nope"'],
    ['{{$x := .nope}}', 'ERROR template: output:1:8: executing "output" at <.nope>: map has no entry for key "nope"'],
    ['{{.kind}}{{range .items}}{{.spec.ratio}}{{end}}', 'ListERROR template: output:1:32: executing "output" at <.spec.ratio>: map has no entry for key "ratio"'],
    ['{{index . "nope"}}', '<no value>'],
  ])('with missingkey=error: %j', (text, want) => {
    expect(run(text, 'error')).toBe(want);
  });
});
