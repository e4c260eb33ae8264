/**
 * kubectl get (k8s.io/kubectl/pkg/cmd/get): server-side Tables (`Accept: …;as=Table;v=v1;g=meta.k8s.io`)
 * laid out by the table printer, or the objects as json, yaml, name, jsonpath (`-o jsonpath=…`,
 * `jsonpath-as-json`, `jsonpath-file`), Go templates (`go-template=…`, `template=…`, their `-file` forms,
 * `--template`) or custom columns (`custom-columns=…`, `custom-columns-file`);
 * `-A`, `-l`, `--field-selector`, `--show-labels`, `-L`, `--no-headers`, `--sort-by` (rows of a table,
 * which then asks the server for whole objects, or the objects of a List), `--show-kind`,
 * `-w`/`--watch-only` (with `--output-watch-events`) streaming until Ctrl-C through a RememberWidths
 * tabwriter, and `No resources found…` on stderr. `--raw PATH` prints the server's answer as it is
 * (a watch's event lines as they arrive).
 * All printing goes through ../printers/. Left out: --subresource, --chunk-size paging.
 */
import { EXIT } from '../../../command.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { resourcePath, toStatusError } from '../../../../client/rest/restClient.ts';
import { FsError } from '../../../fs.ts';
import { build, type Visit } from '../builder.ts';
import { withListSource } from './common.ts';
import { errorMessage, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import {
  GET_FORMATS, NO_RESOURCES_FOUND, PrinterError, TabWriter, customColumnsFromFile, goTemplatePrinter, joinTables, listOf, jsonPathPrinter, noResourcesFoundInNamespace,
  parseCustomColumns, parseOutputFormat, printCustomColumns, printJson, printJsonPath, printName, printTable, printYaml, sortObjects,
  tableText, type OutputFormat, type Table, type TablePrintOptions, type TableRow,
} from '../printers/index.ts';
import { groupResource, kindName, type ApiResource } from '../restMapper.ts';

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

async function request(f: Factory, path: string, query: Record<string, string>, accept: string) {
  const response = await f.client().transport.request({ method: 'GET', path, query: new URLSearchParams(query), headers: { accept } });
  if (response.status < 200 || response.status > 299) throw toStatusError(response);
  return response;
}

function listQuery(visit: Visit): Record<string, string> {
  if (visit.type !== 'list') return {};
  const q: Record<string, string> = {};
  if (visit.labelSelector) q.labelSelector = visit.labelSelector;
  if (visit.fieldSelector) q.fieldSelector = visit.fieldSelector;
  return q;
}

function pathOf(visit: Visit): string {
  const gvr = { group: visit.mapping.group, version: visit.mapping.version, resource: visit.mapping.resource, namespaced: visit.mapping.namespaced };
  return resourcePath(gvr, visit.namespace, visit.type === 'list' ? undefined : visit.name);
}

/** `get --raw PATH`: the server's answer to a GET of PATH, byte for byte; a watch's lines as they stream. */
async function runRaw(f: Factory, raw: string, args: string[]): Promise<number> {
  if (args.length > 0) throw new KubectlError('error: arguments may not be passed when --raw is specified');
  if (!raw.startsWith('/')) throw new KubectlError(`error: --raw must be a valid URL path: parse ${JSON.stringify(raw)}: invalid URI for request`);
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const pair of raw.slice(q + 1).split('&').filter(Boolean)) {
      const eq = pair.indexOf('=');
      const decode = (t: string) => decodeURIComponent(t.replace(/\+/g, ' '));
      query[decode(eq < 0 ? pair : pair.slice(0, eq))] = eq < 0 ? '' : decode(pair.slice(eq + 1));
    }
  }
  const response = await request(f, path, query, 'application/json, */*');
  f.ctx.stdout(response.body);
  const stream = response.watch;
  if (!stream) return EXIT.ok;
  // A watch streams its event lines as they come (ERROR ones too), until the server ends it or Ctrl-C.
  if (f.ctx.interrupt.fired) {
    stream.stop();
    return EXIT.interrupted;
  }
  return new Promise<number>((resolve) => {
    // onEnd first: reading a stream that already ended delivers its lines, then its end.
    stream.onEnd(() => resolve(EXIT.ok));
    stream.onEvent((line) => f.ctx.stdout(`${line}\n`));
    f.ctx.interrupt.onDidFire(() => {
      resolve(EXIT.interrupted);
      stream.stop();
    });
  });
}

function isHuman(format: OutputFormat): boolean {
  return format.kind === 'default' || format.kind === 'wide';
}

function tableOptions(flags: ParsedFlags, format: OutputFormat, withNamespace: boolean): TablePrintOptions {
  return {
    noHeaders: flags.bool('no-headers'),
    wide: format.kind === 'wide',
    withNamespace,
    showLabels: flags.bool('show-labels'),
    labelColumns: flags.list('label-columns'),
    ...(flags.string('sort-by') ? { sortBy: flags.string('sort-by') } : {}),
  };
}

/** The query of a visit, asking for whole objects in table rows when --sort-by needs them. */
function tableQuery(visit: Visit, flags: ParsedFlags): Record<string, string> {
  return { ...listQuery(visit), ...(flags.string('sort-by') ? { includeObject: 'Object' } : {}) };
}

export async function runGet(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const { ctx } = f;
  const raw = flags.string('raw');
  if (raw) return runRaw(f, raw, args);
  const format = parseOutputFormat(flags.string('output'), GET_FORMATS, flags.string('template'));
  const allNamespaces = flags.bool('all-namespaces');
  const filenames = flags.list('filename');
  if (args.length === 0 && filenames.length === 0) {
    ctx.stderr('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
    throw new KubectlError(`error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`);
  }
  const visits = await build(f, { args, filenames, recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: flags.string('field-selector'), allNamespaces });
  const watch = flags.bool('watch') || flags.bool('watch-only');
  if (watch) return runWatch(f, flags, visits, format);
  const kinds = new Set(visits.map((v) => groupResource(v.mapping)));
  const showKind = flags.bool('show-kind') || kinds.size > 1;
  const errors: unknown[] = [];
  if (isHuman(format)) {
    const tables: Array<{ table: Table; rows: TableRow[]; mapping: ApiResource }> = [];
    let found = 0;
    for (const visit of visits) {
      let table: Table;
      try {
        const response = await request(f, pathOf(visit), tableQuery(visit, flags), TABLE_ACCEPT);
        table = JSON.parse(response.body) as Table;
      } catch (e) {
        errors.push(withListSource(visit, e));
        continue;
      }
      const rows = table.rows ?? [];
      found += rows.length;
      const last = tables[tables.length - 1];
      // Consecutive visits of one resource print as one table, as kubectl's printer sees one kind.
      if (last && groupResource(last.mapping) === groupResource(visit.mapping)) last.rows.push(...rows);
      else tables.push({ table, rows: [...rows], mapping: visit.mapping });
    }
    const options = tableOptions(flags, format, allNamespaces);
    const pieces = tables.flatMap(({ table, rows, mapping }) =>
      printTable(
        { table: { ...table, rows }, kind: showKind ? kindName(mapping) : '' },
        { ...options, withNamespace: allNamespaces && mapping.namespaced, showKind },
      ),
    );
    ctx.stdout(joinTables(pieces, options));
    if (found === 0 && errors.length === 0) {
      const first = visits[0];
      ctx.stderr(first?.mapping.namespaced && !allNamespaces ? noResourcesFoundInNamespace(f.namespace().namespace) : NO_RESOURCES_FOUND);
    }
  } else {
    let objects: KubeObject[] = [];
    for (const visit of visits) {
      try {
        const response = await request(f, pathOf(visit), listQuery(visit), 'application/json');
        const body = JSON.parse(response.body) as KubeObject & { items?: KubeObject[] };
        if (visit.type === 'list') {
          const apiVersion = visit.mapping.group ? `${visit.mapping.group}/${visit.mapping.version}` : visit.mapping.version;
          for (const item of body.items ?? []) objects.push({ apiVersion, kind: visit.mapping.kind, ...item });
        } else objects.push(body);
      } catch (e) {
        errors.push(withListSource(visit, e));
      }
    }
    const single = visits.length === 1 && visits[0]?.type !== 'list' && objects.length === 1;
    const sortBy = flags.string('sort-by');
    if (sortBy && objects.length > 1) objects = sortObjects(objects, sortBy);
    printOrFail(f, () => printObjects(f, flags, objects, format, single));
  }
  for (const e of errors) ctx.stderr(`${errorMessage(e)}\n`);
  return errors.length > 0 ? EXIT.failure : EXIT.ok;
}

/** Print what `print` gives; a PrinterError prints what kubectl had written before it failed, then throws. */
function printOrFail(f: Factory, print: () => string): void {
  try {
    f.ctx.stdout(print());
  } catch (e) {
    if (e instanceof PrinterError) {
      f.ctx.stdout(e.output);
      throw new KubectlError(e.stderr.slice(0, -1));
    }
    throw e;
  }
}

/** A file `-o jsonpath-file=`, `-o go-template-file=` or `-o custom-columns-file=` names. */
export function readTemplate(f: Factory, path: string): string {
  try {
    return f.ctx.fs.readFile(f.ctx.fs.resolve(path, f.cwd));
  } catch (e) {
    if (e instanceof FsError) throw new KubectlError(`error: error reading --template ${path}, open ${path}: no such file or directory`);
    throw e;
  }
}

function printObjects(f: Factory, flags: ParsedFlags, objects: KubeObject[], format: OutputFormat, single: boolean): string {
  const target: unknown = single ? objects[0] : objects;
  const allowMissingKeys = flags.bool('allow-missing-template-keys');
  switch (format.kind) {
    case 'json':
      return printJson(target);
    case 'yaml':
      return printYaml(target);
    case 'name':
      return printName(objects);
    case 'jsonpath':
      return printJsonPath(jsonPathPrinter(format.template, { allowMissingKeys, outputJson: format.asJson }), single ? objects[0] : listOf(objects));
    case 'jsonpath-file':
      return printJsonPath(jsonPathPrinter(readTemplate(f, format.path), { allowMissingKeys }), single ? objects[0] : listOf(objects));
    case 'go-template':
      return goTemplatePrinter(format.template, { allowMissingKeys }).print(single ? objects[0] : listOf(objects));
    case 'go-template-file':
      return goTemplatePrinter(readTemplate(f, format.path), { allowMissingKeys }).print(single ? objects[0] : listOf(objects));
    case 'custom-columns':
      return printCustomColumns(parseCustomColumns(format.spec), objects, { noHeaders: flags.bool('no-headers') });
    case 'custom-columns-file':
      return printCustomColumns(customColumnsFromFile(readTemplate(f, format.path)), objects, { noHeaders: flags.bool('no-headers') });
    default:
      return '';
  }
}

async function runWatch(f: Factory, flags: ParsedFlags, visits: Visit[], format: OutputFormat): Promise<number> {
  const { ctx } = f;
  if (visits.length !== 1) throw new KubectlError('error: you may only specify a single resource type');
  const visit = visits[0] as Visit;
  const watchOnly = flags.bool('watch-only');
  const events = flags.bool('output-watch-events');
  const human = isHuman(format);
  const allNamespaces = flags.bool('all-namespaces');
  const query = { ...listQuery(visit), ...(visit.type === 'name' ? { fieldSelector: `metadata.name=${visit.name}` } : {}) };
  const listVisit: Visit = visit.type === 'list' ? visit : { type: 'list', mapping: visit.mapping, namespace: visit.namespace, labelSelector: '', fieldSelector: `metadata.name=${visit.name}` };
  const accept = human ? TABLE_ACCEPT : 'application/json';
  const options = tableOptions(flags, format, allNamespaces && visit.mapping.namespaced);
  // Each event is flushed alone; the columns keep the widest width printed so far.
  const tw = new TabWriter({ rememberWidths: true });
  let headerPrinted = false;
  const print = (table: Table, eventType: string) => {
    const text = tableText(table, { ...options, noHeaders: headerPrinted || options.noHeaders });
    const lines = text.split('\n').slice(0, -1);
    // kubectl pads the event type to the longest one (MODIFIED).
    const withEvents = events ? lines.map((l, i) => `${i === 0 && !headerPrinted && !options.noHeaders ? 'EVENT' : eventType.padEnd(8)}\t${l}`) : lines;
    tw.write(withEvents.map((l) => `${l}\n`).join(''));
    ctx.stdout(tw.take());
    headerPrinted = true;
  };
  const emit = (object: unknown, eventType: string) => {
    if (human) print(object as Table, eventType);
    else printOrFail(f, () => printObjects(f, flags, [object as KubeObject], format, true));
  };
  const list = await request(f, pathOf(listVisit), query, accept);
  const body = JSON.parse(list.body) as Table & { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
  if (!watchOnly) {
    if (human) {
      if ((body.rows ?? []).length > 0) print(body, 'ADDED');
      else if (!events) ctx.stderr(visit.mapping.namespaced && !allNamespaces ? noResourcesFoundInNamespace(f.namespace().namespace) : NO_RESOURCES_FOUND);
    } else for (const item of body.items ?? []) emit(item, 'ADDED');
  }
  const response = await request(f, pathOf(listVisit), { ...query, watch: 'true', resourceVersion: body.metadata?.resourceVersion ?? '' }, accept);
  const stream = response.watch;
  if (!stream) return EXIT.ok;
  if (ctx.interrupt.fired) {
    stream.stop();
    return EXIT.interrupted;
  }
  return new Promise<number>((resolve) => {
    stream.onEvent((line) => {
      const event = JSON.parse(line) as { type: string; object: unknown };
      if (event.type === 'ERROR') return;
      emit(event.object, event.type);
    });
    stream.onEnd(() => resolve(EXIT.ok));
    // Resolve before stopping: stopping ends the stream, and Ctrl-C's status must win.
    ctx.interrupt.onDidFire(() => {
      resolve(EXIT.interrupted);
      stream.stop();
    });
  });
}
