/**
 * The JSON Schema (draft 2020-12) of a lesson's front matter and of the YAML body of its ```check,
 * ```diagram and ```quiz blocks. It is the one statement of those shapes: the parser validates with it
 * (validate.ts, which reads the keywords used here), and a test checks it with Ajv and against every lesson.
 * Rules that span fields (a check's expectation takes one of output, match or jsonpath…) are in parse.ts.
 */
import { DIAGRAM_VIEWS, FAILURES, LESSON_LANGUAGES, MODULES, NOTE_FILES } from './types.ts';

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const duration = { type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h))+$', maxLength: 20 } as const;
/** A lab session: the laptop, a node or lab host, a pod's container, or a container of docker-host. */
const session = { type: 'string', pattern: '^(laptop|[a-z0-9]([-a-z0-9]*[a-z0-9])?|pod/[a-z0-9][-a-z0-9.]*(/[a-z0-9][-a-z0-9]*)?|container/[a-zA-Z0-9][a-zA-Z0-9_.-]*)$', maxLength: 260 } as const;
const hintList = { type: 'array', items: text(1000), minItems: 1, maxItems: 5 } as const;

export const LESSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://kubelab.dev/schemas/lesson.json',
  title: 'Kubelab lesson',
  $defs: {
    session,
    frontMatter: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'title', 'summary', 'module', 'notes', 'prerequisites', 'minutes', 'start'],
      properties: {
        id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 },
        language: { enum: [...LESSON_LANGUAGES] },
        title: text(120),
        summary: text(400),
        module: { enum: [...MODULES] },
        notes: {
          type: 'array',
          maxItems: 5,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['file', 'sections'],
            properties: { file: { enum: [...NOTE_FILES] }, sections: { type: 'array', items: text(200), minItems: 1, maxItems: 30 } },
          },
        },
        prerequisites: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }, maxItems: 20 },
        minutes: { type: 'integer', minimum: 1, maximum: 180 },
        start: {
          type: 'object',
          additionalProperties: false,
          properties: {
            workers: { type: 'integer', minimum: 0, maximum: 4 },
            hosts: {
              type: 'object',
              additionalProperties: false,
              properties: { 'docker-host': { type: 'object', additionalProperties: false, properties: { cgroupVersion: { enum: [1, 2] } } } },
            },
            files: { type: 'object', propertyNames: { pattern: '^/(home/student|tmp)(/[^/\\u0000]+)+$', maxLength: 4096 }, additionalProperties: { type: 'string', maxLength: 262144 } },
            manifests: { type: 'array', items: text(262144), maxItems: 50 },
            setup: {
              type: 'array',
              maxItems: 50,
              items: { type: 'object', additionalProperties: false, required: ['session', 'run'], properties: { session, run: text(65536) } },
            },
            clock: { type: 'object', additionalProperties: false, properties: { advance: duration, paused: { type: 'boolean' } } },
          },
        },
      },
    },
    check: {
      type: 'object',
      additionalProperties: false,
      required: ['command', 'expect'],
      properties: {
        id: { type: 'string', pattern: '^[a-z0-9]+([-.][a-z0-9]+)*$', maxLength: 60 },
        session,
        command: text(65536),
        expect: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            status: { type: 'integer', minimum: 0, maximum: 255 },
            output: { type: 'string', maxLength: 65536 },
            match: text(1000),
            jsonpath: text(1000),
            equals: { type: ['string', 'number'] },
            atLeast: { type: 'number' },
            atMost: { type: 'number' },
          },
        },
        hints: { type: 'object', additionalProperties: false, properties: Object.fromEntries(FAILURES.map((f) => [f, hintList])) },
        within: duration,
      },
    },
    diagram: {
      type: 'object',
      additionalProperties: false,
      required: ['view'],
      properties: {
        view: { enum: [...DIAGRAM_VIEWS] },
        focus: { type: 'object', maxProperties: 5, propertyNames: { pattern: '^[a-z][a-zA-Z]*$', maxLength: 30 }, additionalProperties: text(260) },
      },
    },
    quiz: {
      type: 'object',
      additionalProperties: false,
      required: ['question', 'choices'],
      properties: {
        question: text(1000),
        choices: {
          type: 'array',
          minItems: 2,
          maxItems: 6,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['text', 'explain'],
            properties: { text: text(400), correct: { type: 'boolean' }, explain: text(1000) },
          },
        },
      },
    },
  },
} as const;

export type SchemaDef = keyof typeof LESSON_SCHEMA.$defs;
