/**
 * What kubectl's object-building commands share (`kubectl create <generator>`, `run`, `expose`;
 * k8s.io/kubectl/pkg/cmd/create/*.go): the one NAME argument, cobra's required flags, ObjectMeta in Go
 * field order, `--save-config`'s annotation (the typed object encoded in field order), and the last step
 * of each: `--dry-run=client` prints the object as built; otherwise it is POSTed (as JSON — the real
 * kubectl sends protobuf), with `dryRun=All` for `--dry-run=server`, and the server's answer is printed
 * (`deployment.apps/web created`, or `-o json|yaml|name|jsonpath=…`).
 *
 * Objects are built as plain data whose key order is the Go struct order, so `-o json` of a built
 * object prints as kubectl's does; map-typed fields (labels, data, selector…) are built sorted, as Go
 * marshals maps. Left out: an object the server returns prints with sorted keys under `-o json` (kubectl
 * prints its typed copy in struct order); Go templates.
 */
import { asStatusError } from '../../../../api/errors.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { PRINT_FORMATS, goTemplatePrinter, jsonPathPrinter, marshalJson, parseOutputFormat, printJson, printJsonPath, printName, printYaml } from '../printers/index.ts';
import { LAST_APPLIED } from './apply.ts';
import { dryRun, dryRunSuffix } from './common.ts';
import { readTemplate } from './get.ts';

/** A plain JSON object built in Go struct order. */
export type Obj = Record<string, unknown>;

/** Where an object is POSTed. */
export interface Target {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

/** cobra's MarkFlagRequired check, run before the command (all missing flags, sorted, in one line). */
export function requireFlags(flags: ParsedFlags, ...names: string[]): void {
  const missing = names.filter((n) => !flags.changed(n)).sort();
  if (missing.length) throw new KubectlError(`error: required flag(s) ${missing.map((n) => `"${n}"`).join(', ')} not set`);
}

/** NameFromCommandArgs: exactly one NAME. */
export function nameArg(commandPath: string, args: readonly string[]): string {
  if (args.length !== 1) throw usageError(commandPath, `exactly one NAME is required, got ${args.length}`);
  return args[0] ?? '';
}

/** A Go map: its entries sorted by key, as encoding/json writes them; undefined when empty and omitted. */
export function goMap<V>(entries: Iterable<readonly [string, V]>): Record<string, V> | undefined {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.length ? Object.fromEntries(sorted) : undefined;
}

const META_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

/** ObjectMeta in field order: a built object's creationTimestamp is null, empty maps are left out. */
export function objectMeta(fields: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }): Obj {
  const meta: Obj = { name: fields.name || undefined, namespace: fields.namespace || undefined, creationTimestamp: null, labels: fields.labels, annotations: fields.annotations };
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined));
}

/** The namespace a generator sets on its object: only the one `-n` named (EnforceNamespace). */
export function enforcedNamespace(f: Factory): string | undefined {
  const ns = f.namespace();
  return ns.explicit ? ns.namespace : undefined;
}

/** Parse `key=value` pairs (`--labels`, `--annotation`) into a Go map. */
export function parsePairs(values: readonly string[], invalid: (pair: string) => string): Record<string, string> | undefined {
  const entries: Array<[string, string]> = [];
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new KubectlError(invalid(pair));
    entries.push([pair.slice(0, eq), pair.slice(eq + 1)]);
  }
  return goMap(entries);
}

/** CreateOrUpdateAnnotation: the object, encoded in field order, as its last-applied annotation. */
export function withSaveConfig(object: Obj): Obj {
  const metadata = (object.metadata ?? {}) as Obj;
  const annotations = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...object, metadata: reorderMeta({ ...metadata, annotations: Object.keys(annotations).length ? goMap(Object.entries(annotations)) : undefined }) };
  const applied = `${marshalJson(bare, '', '', false)}\n`;
  return { ...object, metadata: reorderMeta({ ...metadata, annotations: goMap(Object.entries({ ...annotations, [LAST_APPLIED]: applied })) }) };
}

function reorderMeta(meta: Obj): Obj {
  const keys = [...META_ORDER.filter((k) => k in meta), ...Object.keys(meta).filter((k) => !META_ORDER.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, meta[k]]).filter(([, v]) => v !== undefined));
}

/** Print one object as `-o` asks: built objects in field order, server objects as kubectl prints them. */
export function printObject(f: Factory, flags: ParsedFlags, object: Obj, fromServer: boolean, operation: string): void {
  const format = parseOutputFormat(flags.string('output'), PRINT_FORMATS, flags.string('template'));
  let shown = object;
  if (fromServer && !flags.bool('show-managed-fields')) {
    const metadata = { ...((object.metadata ?? {}) as Obj) };
    delete metadata.managedFields;
    shown = { ...object, metadata };
  }
  if (format.kind === 'json') f.ctx.stdout(printJson(shown, { sortKeys: fromServer }));
  else if (format.kind === 'yaml') f.ctx.stdout(printYaml(shown));
  else if (format.kind === 'name') f.ctx.stdout(printName(shown));
  else if (format.kind === 'jsonpath') f.ctx.stdout(printJsonPath(jsonPathPrinter(format.template), shown as Parameters<typeof printJsonPath>[1]));
  else if (format.kind === 'jsonpath-file') throw new KubectlError('error: -o jsonpath-file is not supported by this command in the lab');
  else if (format.kind === 'go-template' || format.kind === 'go-template-file') {
    const text = format.kind === 'go-template' ? format.template : readTemplate(f, format.path);
    f.ctx.stdout(goTemplatePrinter(text, { allowMissingKeys: flags.bool('allow-missing-template-keys') }).print(shown, { sortKeys: fromServer }));
  }
  else f.ctx.stdout(printName(shown, { operation }));
}

export interface CreateOptions {
  /** Wraps the server's error as the generator does (`failed to create deployment: %v`); none: as is. */
  readonly wrap?: (message: string) => string;
  /** The operation printed after the name: `created` (default), `exposed`. */
  readonly operation?: string;
  /** The field manager when --field-manager is not a flag of the command. */
  readonly fieldManager?: string;
}

/** The last step of every generator: --save-config, dry run or POST, then print. */
export async function createObject(f: Factory, flags: ParsedFlags, built: Obj, target: Target, options: CreateOptions = {}): Promise<number> {
  const mode = dryRun(flags);
  // Validate -o before anything is sent, as kubectl's Complete does.
  parseOutputFormat(flags.string('output'), PRINT_FORMATS, flags.string('template'));
  // Fields left undefined are Go's omitted empty fields.
  const pruned = JSON.parse(JSON.stringify(built)) as Obj;
  const object = flags.bool('save-config') ? withSaveConfig(pruned) : pruned;
  const operation = `${options.operation ?? 'created'}${dryRunSuffix(mode)}`;
  if (mode === 'client') {
    printObject(f, flags, object, false, operation);
    return EXIT.ok;
  }
  const namespace = target.namespaced ? ((object.metadata as Obj | undefined)?.namespace as string | undefined) ?? f.namespace().namespace : '';
  let created: KubeObject;
  try {
    created = await f
      .client()
      .resource(target)
      .create(namespace, object as KubeObject, { dryRun: mode === 'server', fieldManager: flags.string('field-manager') || options.fieldManager || 'kubectl-create' });
  } catch (e) {
    const status = asStatusError(e);
    if (!options.wrap) throw e;
    const message = status ? (status.status.message ?? '') : e instanceof Error ? e.message : String(e);
    throw new KubectlError(`error: ${options.wrap(message)}`);
  }
  printObject(f, flags, withTypedEmptyFields(created as Obj, object), true, operation);
  return EXIT.ok;
}

/**
 * kubectl decodes the server's answer into its Go type, whose struct fields without omitempty print even
 * when empty (a new Job's `status: {}`): the empty top-level objects the built object had come back.
 */
function withTypedEmptyFields(result: Obj, built: Obj): Obj {
  const out = { ...result };
  for (const [key, value] of Object.entries(built)) {
    if (!(key in out) && value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) out[key] = {};
  }
  return out;
}

/** `failed to create <what>: <err>`, the wrapping most generators use. */
export function failedToCreate(what: string): (message: string) => string {
  return (message) => `failed to create ${what}: ${message}`;
}
