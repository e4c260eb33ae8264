/**
 * kubectl edit (k8s.io/kubectl/pkg/cmd/edit and cmd/util/editor, 1.32, the normal edit mode): the
 * objects named by TYPE NAME…, TYPE/NAME…, TYPE (all of them) or -f (each read again from the server)
 * are written, one object or a `List` of them, managedFields dropped, as YAML under kubectl's header
 * comment (or as JSON with -o json, without it) to `$TMPDIR/kubectl-edit-<n>.yaml` (default /tmp). The
 * editor is `$KUBE_EDITOR`, else `$EDITOR`, else `vi`, run through the shell: a command line with
 * spaces is split on them, one that also holds a quote or backslash goes to `$SHELL -c` (default
 * /bin/bash). A command that cannot be found is `unable to launch the editor "vi"`, a failing one
 * `there was a problem with the editor "…"`.
 *
 * The saved file is then handled as editoptions.go does: comments stripped and compared with what was
 * written (`Edit cancelled, no changes made.`), an empty file cancels, a file that does not parse (with
 * --validate other than ignore/false) or an object the server refuses as Invalid reopens the editor with
 * the reasons in the header; when the editor changes nothing on a reopened file, the file is kept (`A
 * copy of your changes has been stored to "…"`) and the edit fails with `Edit cancelled, no valid changes
 * were saved.` Each changed object is patched with the strategic merge patch of the printed object and
 * the edited one (a JSON merge patch for kinds without a strategic schema); apiVersion, kind and name must
 * not change. Prints `deployment.apps/web edited` (or `skipped`, or the object with -o json|yaml);
 * --output-patch prints `Patch: …` first; --save-config records last-applied-configuration; --subresource
 * edits a named object's subresource.
 *
 * --windows-line-endings writes CRLF line ends. Left out: -k (kustomize); the OpenAPI schema validation
 * of the edited objects (the file is only parsed, and a syntax error reads as the lab's YAML parser words
 * it, not go-yaml).
 */
import { parseDocument } from 'yaml';
import { asStatusError, StatusError } from '../../../../api/errors.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { resourcePath } from '../../../../client/rest/restClient.ts';
import { createMergePatch, createTwoWayMergePatch, schemaFor } from '../../../../apiserver/patch/index.ts';
import { EXIT } from '../../../command.ts';
import { FsError } from '../../../fs.ts';
import { build, parseManifest } from '../builder.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { goQuote } from '../printers/goFormat.ts';
import { marshalJson, parseOutputFormat, PRINT_FORMATS, printJson, printYaml } from '../printers/index.ts';
import type { ApiResource } from '../restMapper.ts';
import { withLastApplied } from './apply.ts';
import { groupKind, printResult, resourceClient } from './common.ts';

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** One object being edited: resource.Info. */
interface Info {
  mapping: ApiResource;
  namespace: string;
  name: string;
  object: KubeObject;
}

/** editReason: why the file is reopened. */
interface Reason {
  head: string;
  other: string[];
}

/** editResults: what one pass of patching found. */
interface Results {
  reasons: Reason[];
  retryable: number;
  notfound: number;
  edit: number;
  file: string;
}

/** An error after which the file that holds the user's changes is named (preservedFile). */
class Preserved extends Error {
  constructor(
    readonly error: unknown,
    readonly file: string,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** cmdutil.ErrExit: fail with status 1 and no further message. */
class ErrExit extends Error {}

const newResults = (file = ''): Results => ({ reasons: [], retryable: 0, notfound: 0, edit: 0, file });

/** hashOnLineBreak: every line of a reason stays a comment. */
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?!#)/g, '\n# ');
}

function header(reasons: readonly Reason[]): string {
  let text = HEADER;
  for (const r of reasons) {
    text += r.other.length > 0 ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) text += `# * ${hashOnLineBreak(o)}\n`;
    text += '#\n';
  }
  return text;
}

/** cmdutil.ManualStrip: drop comment lines (not `#!`). */
function manualStrip(text: string): string {
  const lines = text.split('\n');
  return lines
    .filter((line) => {
      const t = line.trim();
      return !(t.startsWith('#') && !t.startsWith('#!'));
    })
    .join('\n');
}

/** cmdutil.StripComments: the file as JSON (which drops comments), else manually stripped. */
function stripComments(text: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return manualStrip(text);
  return marshalJson(doc.toJS() ?? null);
}

/** hasLines: some line is neither blank nor a comment. */
function hasLines(text: string): boolean {
  return text.split('\n').some((line) => {
    const t = line.trim();
    return t.length > 0 && !t.startsWith('#');
  });
}

/** The resource's name in edit's messages: `deployments.apps`. */
function resourceString(mapping: ApiResource): string {
  return mapping.group ? `${mapping.resource}.${mapping.group}` : mapping.resource;
}

/** editResults.addError: the line printed now, and what is remembered for the header or the ending. */
function addError(results: Results, e: unknown, info: Info): string {
  const resource = resourceString(info.mapping);
  const status = asStatusError(e);
  if (status?.status.reason === 'Invalid') {
    results.edit++;
    results.reasons.push({ head: `${resource} ${JSON.stringify(info.name)} was not valid`, other: (status.status.details?.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`) });
    return `error: ${resource} ${JSON.stringify(info.name)} is invalid`;
  }
  if (status?.code === 404) {
    results.notfound++;
    return `error: ${resource} ${JSON.stringify(info.name)} could not be found on the server`;
  }
  results.retryable++;
  return `error: ${resource} ${JSON.stringify(info.name)} could not be patched: ${status?.status.message ?? (e instanceof Error ? e.message : String(e))}`;
}

/** cmdutil.GetValidationDirective */
function validationDirective(flags: ParsedFlags): 'Strict' | 'Warn' | 'Ignore' {
  const value = flags.string('validate').toLowerCase();
  if (value === 'strict' || value === 'true') return 'Strict';
  if (value === 'warn') return 'Warn';
  if (value === 'ignore' || value === 'false') return 'Ignore';
  throw new KubectlError(`error: invalid - validate option ${JSON.stringify(flags.string('validate'))}; must be one of: strict (or true), warn, ignore (or false)`);
}

/** The validation kubectl does before it parses the objects: YAML that holds an object with a kind. */
function validate(text: string): string | undefined {
  const doc = parseDocument(manualStrip(text));
  const error = doc.errors[0];
  if (error) return `yaml: line ${error.linePos?.[0].line ?? 1}: ${error.message.split(' at line')[0]?.split('\n')[0] ?? ''}`;
  const value = doc.toJS() as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'invalid object to validate';
  const o = value as Record<string, unknown>;
  const missing = [...(o.apiVersion === undefined ? ['apiVersion not set'] : typeof o.apiVersion !== 'string' ? ["apiVersion isn't string type"] : []), ...(o.kind === undefined ? ['kind not set'] : typeof o.kind !== 'string' ? ["kind isn't string type"] : [])];
  if (missing.length === 1) return missing[0];
  if (missing.length > 1) return `[${missing.join(', ')}]`;
  return undefined;
}

/** The editor's command line from the environment (defaultEnvEditor), and whether it runs in a shell. */
function editorArgs(f: Factory): { args: string[]; shell: boolean } {
  const env = f.ctx.env;
  const editor = env.get('KUBE_EDITOR') || env.get('EDITOR') || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.get('SHELL') || '/bin/bash', '-c', editor], shell: true };
}

export async function runEdit(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  try {
    return await edit(f, flags, args);
  } catch (e) {
    if (e instanceof ErrExit) return EXIT.failure;
    if (!(e instanceof Preserved)) throw e;
    if (e.file && f.ctx.fs.stat(e.file)) f.ctx.stderr(`A copy of your changes has been stored to ${JSON.stringify(e.file)}\n`);
    throw e.error;
  }
}

async function edit(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  const output = flags.string('output');
  const json = output === 'json';
  const directive = validationDirective(flags);
  if (args.length === 0 && filenames.length === 0) throw new KubectlError(NO_RESOURCES);
  const { namespace: cmdNamespace } = f.namespace();
  const subresource = flags.string('subresource');
  const infos = await originals(f, args, filenames, flags.bool('recursive'), subresource);
  if (infos.length === 0) throw new KubectlError('error: edit cancelled, no objects found');
  const editor = editorArgs(f);
  const fs = f.ctx.fs;

  let results = newResults();
  let original = '';
  let edited = '';
  let containsError = false;
  for (;;) {
    if (f.ctx.interrupt.fired) return EXIT.interrupted;
    const printed = infos.length === 1 ? withoutManagedFields(infos[0]!.object) : { apiVersion: 'v1', kind: 'List', metadata: {}, items: infos.map((i) => withoutManagedFields(i.object)) };
    let buffer = json ? '' : header(results.reasons);
    if (!containsError) {
      if (output !== '' && output !== 'json' && output !== 'yaml') {
        throw new Preserved(new KubectlError(`error: unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: json,yaml`), results.file);
      }
      buffer += json ? printJson(printed) : printYaml(printed);
      original = buffer;
    } else {
      buffer += manualStrip(edited);
    }
    // crlf.NewCRLFWriter: every LF written becomes CRLF.
    if (flags.bool('windows-line-endings')) buffer = buffer.replace(/\n/g, '\r\n');
    const editedBefore = edited;
    let file: string;
    try {
      file = createTempFile(f, json ? '.json' : '.yaml', buffer);
      await launch(f, editor, file);
      edited = readBack(f, file);
    } catch (e) {
      throw new Preserved(e, results.file);
    }
    if (containsError && stripComments(editedBefore) === stripComments(edited)) {
      throw new Preserved(new KubectlError('error: Edit cancelled, no valid changes were saved.'), file);
    }
    if (results.file) fs.rm(results.file, { force: true });

    const invalid = directive === 'Ignore' ? undefined : validate(edited);
    if (invalid !== undefined) {
      results = newResults(file);
      containsError = true;
      // apierrors.NewInvalid with one field.Invalid at a nil path.
      const cause = { field: '<nil>', message: `Invalid value: "The edited file failed validation": ${invalid}` };
      const error = new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `<nil>: ${cause.message}`, reason: 'Invalid', details: { causes: [cause] }, code: 422 });
      const message = addError(results, error, infos[0]!);
      f.ctx.stderr(`${message}\n`);
      continue;
    }
    if (stripComments(original) === stripComments(edited)) {
      fs.rm(file, { force: true });
      f.ctx.stderr('Edit cancelled, no changes made.\n');
      return EXIT.ok;
    }
    if (!hasLines(edited)) {
      fs.rm(file, { force: true });
      f.ctx.stderr('Edit cancelled, saved file was empty.\n');
      return EXIT.ok;
    }
    results = newResults(file);
    let updated: Info[];
    try {
      updated = await parseEdited(f, edited);
    } catch (e) {
      containsError = true;
      const message = e instanceof Error ? e.message.replace(/^error: /, '') : String(e);
      results.reasons.push({ head: `The edited file had a syntax error: ${message}`, other: [] });
      continue;
    }
    containsError = false;
    try {
      for (const info of updated) requireNamespace(info, cmdNamespace);
      if (flags.bool('save-config')) for (const info of updated) info.object = withLastApplied(info.object);
      const format = parseOutputFormat(output, PRINT_FORMATS);
      await visitToPatch(f, infos, updated, results, { outputPatch: flags.bool('output-patch'), fieldManager: flags.string('field-manager'), subresource, format });
    } catch (e) {
      throw new Preserved(e, results.file);
    }
    if (results.retryable > 0) {
      f.ctx.stderr(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      throw new ErrExit();
    }
    if (results.notfound > 0) {
      f.ctx.stderr(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      throw new ErrExit();
    }
    if (results.edit === 0) {
      fs.rm(file, { force: true });
      return EXIT.ok;
    }
    if (results.reasons.length > 0) containsError = true;
  }
}

function withoutManagedFields(object: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObject;
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

/** The objects to edit, read from the server (the builder's Latest()). */
async function originals(f: Factory, args: readonly string[], filenames: readonly string[], recursive: boolean, subresource: string): Promise<Info[]> {
  const visits = await build(f, { args, filenames, recursive, labelSelector: '', fieldSelector: '', allNamespaces: false });
  const infos: Info[] = [];
  const errors: unknown[] = [];
  for (const visit of visits) {
    const client = resourceClient(f, visit.mapping);
    const apiVersion = visit.mapping.group ? `${visit.mapping.group}/${visit.mapping.version}` : visit.mapping.version;
    try {
      if (visit.type === 'list') {
        const list = await client.list(visit.namespace);
        for (const item of list.items) infos.push({ mapping: visit.mapping, namespace: item.metadata?.namespace ?? '', name: item.metadata?.name ?? '', object: { apiVersion, kind: visit.mapping.kind, ...item } });
        continue;
      }
      const path = resourcePath(visit.mapping, visit.namespace, visit.name, subresource || undefined);
      const object = JSON.parse((await f.client().raw('GET', path)).body) as KubeObject;
      infos.push({ mapping: visit.mapping, namespace: visit.namespace, name: visit.name, object });
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors);
  return infos;
}

/** Editor.LaunchTempFile's file: `<tmp>/kubectl-edit-<n><ext>`, created exclusively. */
function createTempFile(f: Factory, ext: string, content: string): string {
  const dir = (f.ctx.env.get('TMPDIR') || '/tmp').replace(/\/+$/, '');
  const fs = f.ctx.fs;
  for (;;) {
    const path = `${dir}/kubectl-edit-${f.ctx.rng.int(2 ** 32)}${ext}`;
    if (fs.stat(path)) continue;
    try {
      fs.writeFile(path, content);
    } catch (e) {
      if (e instanceof FsError) throw new KubectlError(`error: open ${path}: ${e.describe.toLowerCase()}`);
      throw e;
    }
    return path;
  }
}

/** Editor.Launch, through the shell that runs kubectl. */
async function launch(f: Factory, editor: { args: string[]; shell: boolean }, path: string): Promise<void> {
  const argv = [...editor.args];
  if (editor.shell) argv[argv.length - 1] = `${argv[argv.length - 1]} ${goQuote(path)}`;
  else argv.push(path);
  const status = await f.ctx.shell.exec(argv, f.ctx.env, { stdin: f.ctx.stdin, stdout: (t) => f.ctx.stdout(t), stderr: (t) => f.ctx.stderr(t) }, f.ctx.interrupt);
  const shown = goQuote(editor.args.join(' '));
  if (status === 127) throw new KubectlError(`error: unable to launch the editor ${shown}`);
  if (status !== 0) throw new KubectlError(`error: there was a problem with the editor ${shown}`);
}

function readBack(f: Factory, path: string): string {
  try {
    return f.ctx.fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError) throw new KubectlError(`error: open ${path}: ${e.describe.toLowerCase()}`);
    throw e;
  }
}

/** The objects of the saved file (a List's items in its place), mapped to their resources. */
async function parseEdited(f: Factory, text: string): Promise<Info[]> {
  const mapper = await f.mapper();
  return parseManifest(text, 'edited-file').map(({ object }) => {
    const mapping = mapper.resourceForKind(object.apiVersion ?? '', object.kind ?? '');
    return { mapping, namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '', object };
  });
}

/** resource.RequireNamespace: an edited object stays in the command's namespace. */
function requireNamespace(info: Info, namespace: string): void {
  if (!info.mapping.namespaced) return;
  if (!info.namespace) {
    info.namespace = namespace;
    info.object = { ...info.object, metadata: { ...info.object.metadata, namespace } };
    return;
  }
  if (info.namespace !== namespace) {
    throw new KubectlError(`error: the namespace from the provided object ${JSON.stringify(info.namespace)} does not match the namespace ${JSON.stringify(namespace)}. You must pass '--namespace=${info.namespace}' to perform this operation.`);
  }
}

function sortedJson(value: unknown): string {
  return marshalJson(value);
}

/** visitToPatch: patch each changed object from its printed version to its edited one. */
async function visitToPatch(
  f: Factory,
  originalInfos: readonly Info[],
  updated: readonly Info[],
  results: Results,
  options: { outputPatch: boolean; fieldManager: string; subresource: string; format: ReturnType<typeof parseOutputFormat> },
): Promise<void> {
  for (const info of updated) {
    const uid = info.object.metadata?.uid;
    const original = originalInfos.find((o) => o.object.metadata?.uid === uid);
    if (!original) throw new KubectlError(`error: no original object found for ${sortedJson(info.object)}`);
    const originalObject = original.object;
    if (sortedJson(originalObject) === sortedJson(info.object)) {
      f.ctx.stdout(printResult(options.format, info.object, info.mapping, info.name, 'skipped'));
      continue;
    }
    const schema = schemaFor(groupKind(info.mapping));
    const patch = schema ? createTwoWayMergePatch(originalObject, info.object, schema) : createMergePatch(originalObject, info.object);
    const changed = patch as Record<string, unknown>;
    const metadata = changed.metadata as Record<string, unknown> | undefined;
    if ('apiVersion' in changed || 'kind' in changed || 'managedFields' in changed || (metadata && 'name' in metadata)) {
      throw new KubectlError('error: At least one of apiVersion, kind and name was changed');
    }
    if (options.outputPatch) f.ctx.stdout(`Patch: ${sortedJson(patch)}\n`);
    let patched: KubeObject;
    try {
      patched = await resourceClient(f, info.mapping).patch(info.namespace, info.name, schema ? 'strategic' : 'merge', patch, { fieldManager: options.fieldManager, ...(options.subresource ? { subresource: options.subresource } : {}) });
    } catch (e) {
      f.ctx.stderr(`${addError(results, e, info)}\n`);
      continue;
    }
    f.ctx.stdout(printResult(options.format, patched, info.mapping, info.name, 'edited'));
  }
}
