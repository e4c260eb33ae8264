import { describe, expect, it } from 'vitest';
import { ExplainError, renderPlaintext, type GroupVersionResource } from './plaintext.ts';

const REF = '#/components/schemas/';
const WIDGET_GVK = { group: 'example.com', kind: 'Widget', version: 'v1' };

/** A small document with what the lab's schemas lack: externalDocs, bool additionalProperties, long enums, cycles. */
const document = {
  paths: {
    '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}': { get: { 'x-kubernetes-group-version-kind': WIDGET_GVK } },
    '/apis/example.com/v1/gizmos': { post: { 'x-kubernetes-group-version-kind': { group: 'example.com', kind: 'Gizmo', version: 'v1' } } },
    '/apis/example.com/v1/gadgets': { get: { description: 'an operation without a kind' } },
  },
  components: {
    schemas: {
      'com.example.v1.Widget': {
        'x-kubernetes-group-version-kind': [WIDGET_GVK],
        type: 'object',
        externalDocs: { description: 'How widgets work.', url: 'https://example.com/widgets' },
        required: ['spec'],
        properties: {
          anything: { type: 'object', additionalProperties: true, description: 'Free-form.' },
          bare: { $ref: `${REF}com.example.v1.Node` },
          labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels.' },
          link: { type: 'string', description: 'A link.', externalDocs: { url: 'https://example.com/link' } },
          loop: { $ref: `${REF}com.example.v1.Loop` },
          mode: { type: 'string', enum: ['', 'A', 'B', 'C', 'D'], description: 'The mode.' },
          spec: { allOf: [{ $ref: `${REF}com.example.v1.Node` }], description: 'The spec.' },
        },
      },
      'com.example.v1.Node': {
        type: 'object',
        properties: {
          children: { type: 'array', items: { $ref: `${REF}com.example.v1.Node` }, description: 'Nodes below.' },
          name: { type: 'string', description: 'Name.' },
        },
      },
      'com.example.v1.Loop': { allOf: [{ $ref: `${REF}com.example.v1.Loop` }] },
    },
  },
};

function explain(resource: string, fieldPath: string[], recursive = false): { out: string; error?: string } {
  let out = '';
  const gvr: GroupVersionResource = { group: 'example.com', version: 'v1', resource };
  try {
    renderPlaintext(document, gvr, fieldPath, recursive, (text) => (out += text));
    return { out };
  } catch (e) {
    if (!(e instanceof ExplainError)) throw e;
    return { out, error: e.message };
  }
}

const HEADER = 'GROUP:      example.com\nKIND:       Widget\nVERSION:    v1\n\n';

describe('the plaintext template', () => {
  it('lists fields with types, -required-, at most four enum values, descriptions or <no description>, and external docs', () => {
    expect(explain('widgets', [])).toEqual({
      out:
        HEADER +
        'DESCRIPTION:\n    <empty>\n\nEXTERNAL DOCS:\n    How widgets work.\n    URL: https://example.com/widgets\nFIELDS:\n' +
        '  anything\t<Object>\n    Free-form.\n\n' +
        '  bare\t<Node>\n    <no description>\n\n' +
        '  labels\t<map[string]string>\n    Labels.\n\n' +
        '  link\t<string>\n    A link.\n\n    EXTERNAL DOCS:\n      URL: https://example.com/link\n\n' +
        '  loop\t<Loop>\n    <no description>\n\n' +
        '  mode\t<string>\n  enum: "", A, B, C, ....\n    The mode.\n\n' +
        '  spec\t<Node> -required-\n    The spec.\n\n\n',
    });
  });

  it('prints the tree with --recursive and does not expand a $ref again below itself', () => {
    expect(explain('widgets', ['spec'], true)).toEqual({
      out: `${HEADER}FIELD: spec <Node>\n\n\nDESCRIPTION:\n    The spec.\n    \nFIELDS:\n  children\t<[]Node>\n  name\t<string>\n\n`,
    });
  });

  it('puts a field’s enum under ENUM:, all of it, and shows "" for the empty value', () => {
    expect(explain('widgets', ['mode']).out).toBe(`${HEADER}FIELD: mode <string>\nENUM:\n    ""\n    A\n    B\n    C\n    D\n\nDESCRIPTION:\n    The mode.\n    \n\n`);
  });

  it('follows a field path through allOf and array items', () => {
    expect(explain('widgets', ['spec', 'children', 'children', 'name']).out).toBe(`${HEADER}FIELD: name <string>\n\n\nDESCRIPTION:\n    Name.\n    \n\n`);
  });

  it.each([
    ['a field that does not exist, naming the last of the path', ['spec', 'nope', 'deeper'], 'error: field "deeper" does not exist'],
    ['a path into a schema that refers to itself', ['loop', 'x'], 'error: field "x" does not exist'],
    ['a path below a scalar', ['link', 'x'], 'error: field "x" does not exist'],
  ])('leaves the header and fails on %s', (_, fieldPath, error) => {
    expect(explain('widgets', fieldPath)).toEqual({ out: HEADER, error });
  });

  it('fails before the header when no operation of the resource names a kind', () => {
    expect(explain('gadgets', [])).toEqual({ out: '', error: 'error: GVR (example.com/v1, Resource=gadgets) not found in OpenAPI schema' });
    expect(explain('sprockets', [])).toEqual({ out: '', error: 'error: GVR (example.com/v1, Resource=sprockets) not found in OpenAPI schema' });
  });

  it('fails after the header when no schema carries the kind', () => {
    expect(explain('gizmos', [])).toEqual({
      out: 'GROUP:      example.com\nKIND:       Gizmo\nVERSION:    v1\n\n',
      error: 'error: GVK map[group:example.com kind:Gizmo version:v1] not found in OpenAPI schema',
    });
  });
});
