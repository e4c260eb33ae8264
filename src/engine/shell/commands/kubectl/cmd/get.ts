/**
 * kubectl get (k8s.io/kubectl/pkg/cmd/get): server-side Tables (`Accept: …;as=Table;v=v1;g=meta.k8s.io`)
 * laid out as kubectl does, or the objects as json, yaml, name or jsonpath; `-A`, `-l`, `--field-selector`,
 * `--show-labels`, `-L`, `--no-headers`, `--sort-by`, `--show-kind`, `-w`/`--watch-only` (with
 * `--output-watch-events`) streaming until Ctrl-C, and `No resources found…` on stderr.
 * `--raw PATH` prints the server's answer as it is. Left out: --subresource, --chunk-size paging, go-template and custom-columns.
 */
import { EXIT } from '../../../command.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { resourcePath, toStatusError } from '../../../../client/rest/restClient.ts';
import { build, type Visit } from '../builder.ts';
import { withListSource } from './common.ts';
import { errorMessage, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { parseOutputFormat, printJson, printJsonPath, printName, printTable, printYaml, tableRows, tabulate, type OutputFormat, type Table } from '../output.ts';
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

/** `get --raw PATH`: the server's answer to a GET of PATH, byte for byte. */
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
  return EXIT.ok;
}

export async function runGet(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const { ctx } = f;
  const raw = flags.string('raw');
  if (raw) return runRaw(f, raw, args);
  const format = parseOutputFormat(flags.string('output'));
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
  const human = format.kind === 'table' || format.kind === 'wide';
  let status: number = EXIT.ok;
  if (human) {
    let out = '';
    let current: { table: Table; mapping: ApiResource } | undefined;
    const flush = () => {
      if (!current || current.table.rows.length === 0) return;
      if (out) out += '\n';
      out += printRows(f, flags, current.table, current.mapping, showKind, allNamespaces, format.kind === 'wide');
    };
    let found = 0;
    for (const visit of visits) {
      let table: Table;
      try {
        const response = await request(f, pathOf(visit), listQuery(visit), TABLE_ACCEPT);
        table = JSON.parse(response.body) as Table;
      } catch (e) {
        errors.push(withListSource(visit, e));
        continue;
      }
      found += table.rows.length;
      if (current && groupResource(current.mapping) === groupResource(visit.mapping)) current.table.rows.push(...table.rows);
      else {
        flush();
        current = { table, mapping: visit.mapping };
      }
    }
    flush();
    ctx.stdout(out);
    if (found === 0 && errors.length === 0) {
      const first = visits[0];
      const namespaced = first?.mapping.namespaced && !allNamespaces;
      ctx.stderr(namespaced ? `No resources found in ${f.namespace().namespace} namespace.\n` : 'No resources found\n');
    }
  } else {
    const objects: KubeObject[] = [];
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
    ctx.stdout(printObjects(objects, format, single, visits));
  }
  for (const e of errors) {
    ctx.stderr(`${errorMessage(e)}\n`);
    status = EXIT.failure;
  }
  return status;
}

function printRows(f: Factory, flags: ParsedFlags, table: Table, mapping: ApiResource, showKind: boolean, allNamespaces: boolean, wide: boolean): string {
  const sortBy = flags.string('sort-by');
  if (sortBy) {
    const key = (obj: KubeObject | undefined) => {
      try {
        return printJsonPath(sortBy.startsWith('{') ? sortBy : `{${sortBy}}`, obj);
      } catch {
        return '';
      }
    };
    table.rows.sort((a, b) => {
      const x = key(a.object);
      const y = key(b.object);
      const nx = Number(x);
      const ny = Number(y);
      if (x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return printTable(table, {
      noHeaders: flags.bool('no-headers'),
      wide,
      withNamespace: allNamespaces && mapping.namespaced,
      showLabels: flags.bool('show-labels'),
      labelColumns: flags.list('label-columns'),
      ...(showKind ? { kindPrefix: kindName(mapping) } : {}),
    });
}

function printObjects(objects: KubeObject[], format: OutputFormat, single: boolean, visits: Visit[]): string {
  const list = { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
  const target: unknown = single ? objects[0] : list;
  switch (format.kind) {
    case 'json':
      return printJson(target);
    case 'yaml':
      return printYaml(target);
    case 'name':
      return objects
        .map((o) => {
          const visit = visits.find((v) => v.mapping.kind === o.kind);
          const name = visit ? kindName(visit.mapping) : (o.kind ?? '').toLowerCase();
          return printName(name, o.metadata?.name ?? '');
        })
        .join('');
    case 'jsonpath':
      return printJsonPath(format.template, target);
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
  const human = format.kind === 'table' || format.kind === 'wide';
  const allNamespaces = flags.bool('all-namespaces');
  const query = { ...listQuery(visit), ...(visit.type === 'name' ? { fieldSelector: `metadata.name=${visit.name}` } : {}) };
  const listVisit: Visit = visit.type === 'list' ? visit : { type: 'list', mapping: visit.mapping, namespace: visit.namespace, labelSelector: '', fieldSelector: `metadata.name=${visit.name}` };
  const accept = human ? TABLE_ACCEPT : 'application/json';
  let headerPrinted = false;
  const widths: number[] = [];
  const print = (table: Table, eventType?: string) => {
    const rows = tableRows(table, { wide: format.kind === 'wide', withNamespace: allNamespaces && visit.mapping.namespaced, showLabels: flags.bool('show-labels'), labelColumns: flags.list('label-columns') });
    // kubectl pads the event type to the longest one (MODIFIED).
    if (events) rows.forEach((r, i) => r.unshift(i === 0 ? 'EVENT' : (eventType ?? 'ADDED').padEnd(8)));
    // Each event is flushed alone; the columns keep the widest width printed so far.
    ctx.stdout(tabulate(headerPrinted || flags.bool('no-headers') ? rows.slice(1) : rows, widths));
    headerPrinted = true;
  };
  const emit = (object: unknown, eventType: string) => {
    if (human) print(object as Table, eventType);
    else ctx.stdout(printObjects([object as KubeObject], format, true, visits));
  };
  const list = await request(f, pathOf(listVisit), query, accept);
  const body = JSON.parse(list.body) as Table & { items?: KubeObject[]; metadata?: { resourceVersion?: string } };
  if (!watchOnly) {
    if (human) {
      if (body.rows.length > 0) print(body, 'ADDED');
      else if (!events) ctx.stderr(visit.mapping.namespaced && !allNamespaces ? `No resources found in ${f.namespace().namespace} namespace.\n` : 'No resources found\n');
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

