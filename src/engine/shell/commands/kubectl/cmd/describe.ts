/**
 * kubectl describe (k8s.io/kubectl/pkg/cmd/describe): `describe TYPE [NAME_PREFIX] [-l …] [-A]`,
 * `TYPE/NAME`, `-f FILE`. Each object is read through the REST client, with what its describer needs
 * (describe/index.ts `describerNeeds`: owned ReplicaSets, pods, endpoints…) listed beforehand and its
 * core/v1 Events searched as kubectl's searchEvents does (field selector on involvedObject name,
 * namespace, kind and uid; a Node's events by its name as uid), then rendered by `describe()` against
 * the virtual clock. Descriptions are separated by a blank line pair, as upstream prints them; a
 * NAME that matches no object describes every object whose name starts with it (DescribeMatchingResources),
 * and nothing found prints `No resources found in NS namespace.` on stderr.
 *
 * Left out: --chunk-size paging (lists come whole).
 */
import type { Event } from 'kubernetes-types/core/v1';
import { asStatusError } from '../../../../api/errors.ts';
import { parseSelector } from '../../../../api/labels/selector.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { EXIT } from '../../../command.ts';
import { build, type Visit } from '../builder.ts';
import { describe, describerNeeds } from '../describe/index.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import type { ApiResource } from '../restMapper.ts';
import { groupKind, resourceClient, withListSource } from './common.ts';

/** The objects a visit names, read from the server. */
async function objectsOf(f: Factory, visit: Visit): Promise<KubeObject[]> {
  const client = resourceClient(f, visit.mapping);
  if (visit.type === 'list') {
    const list = await client.list(visit.namespace, { labelSelector: visit.labelSelector, fieldSelector: visit.fieldSelector }).catch((e: unknown) => {
      throw withListSource(visit, e);
    });
    const apiVersion = visit.mapping.group ? `${visit.mapping.group}/${visit.mapping.version}` : visit.mapping.version;
    return list.items.map((o) => ({ apiVersion, kind: visit.mapping.kind, ...o }));
  }
  return [await client.get(visit.namespace, visit.name)];
}

/** searchEvents: the core/v1 Events whose involvedObject is `object`. */
async function searchEvents(f: Factory, gk: string, object: KubeObject): Promise<Event[]> {
  const meta = object.metadata ?? {};
  const namespace = meta.namespace ?? '';
  const fields: Record<string, string> = {
    'involvedObject.name': meta.name ?? '',
    'involvedObject.namespace': namespace,
  };
  // The pod describer clears the reference's kind; node events carry the node's name as uid.
  if (gk !== 'Pod' && object.kind) fields['involvedObject.kind'] = object.kind;
  const uid = gk === 'Node' ? meta.name : meta.uid;
  if (uid) fields['involvedObject.uid'] = uid;
  const fieldSelector = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k] ?? ''}`)
    .join(',');
  const events = f.client().resource({ group: '', version: 'v1', resource: 'events', namespaced: true });
  try {
    return (await events.list(namespace, { fieldSelector })).items as unknown as Event[];
  } catch {
    // kubectl ignores a failed event search and describes without events.
    return [];
  }
}

/** Lists what the describer of `gk` reads, then describes `object`. */
async function describeObject(f: Factory, flags: ParsedFlags, mapping: ApiResource, object: KubeObject): Promise<string> {
  const gk = groupKind(mapping);
  const mapper = await f.mapper();
  const namespace = mapping.namespaced ? (object.metadata?.namespace ?? '') : '';
  const related = new Map<string, KubeObject[]>();
  for (const need of describerNeeds(gk)) {
    const key = `${need.group}/${need.resource}`;
    const found = mapper.resources.find((r) => r.preferred && r.group === need.group && r.resource === need.resource);
    if (!found) continue;
    try {
      const list = await resourceClient(f, found).list(need.namespaced ? namespace : '');
      related.set(key, list.items);
    } catch {
      related.set(key, []);
    }
  }
  const showEvents = flags.bool('show-events');
  const events = showEvents ? await searchEvents(f, gk, object) : [];
  return describe(gk, object, {
    now: f.ctx.clock.now(),
    events,
    showEvents,
    related: (group, resource, ns, selector) => {
      const matcher = selector ? parseSelector(selector) : undefined;
      return (related.get(`${group}/${resource}`) ?? []).filter(
        (o) => (!ns || o.metadata?.namespace === ns) && (!matcher || matcher.matches(o.metadata?.labels)),
      );
    },
  });
}

/** DescribeMatchingResources: every object of the type whose name starts with `prefix`. */
async function describeMatching(f: Factory, flags: ParsedFlags, visit: Visit, prefix: string, original: unknown): Promise<number> {
  const list = await resourceClient(f, visit.mapping).list(visit.namespace);
  const apiVersion = visit.mapping.group ? `${visit.mapping.group}/${visit.mapping.version}` : visit.mapping.version;
  let found = false;
  for (const item of list.items) {
    if (!(item.metadata?.name ?? '').startsWith(prefix)) continue;
    found = true;
    f.ctx.stdout(`${await describeObject(f, flags, visit.mapping, { apiVersion, kind: visit.mapping.kind, ...item })}\n`);
  }
  if (!found) throw original;
  return EXIT.ok;
}

export async function runDescribe(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const filenames = flags.list('filename');
  if (args.length === 0 && filenames.length === 0) {
    throw new KubectlError('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n');
  }
  const allNamespaces = flags.bool('all-namespaces');
  const visits = await build(f, { args, filenames, recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: '', allNamespaces });
  const errors: unknown[] = [];
  const seen = new Set<string>();
  let first = true;
  let described = 0;
  for (const visit of visits) {
    let objects: KubeObject[];
    try {
      objects = await objectsOf(f, visit);
    } catch (e) {
      if (asStatusError(e)?.code === 404 && args.length === 2 && visit.type === 'name') return describeMatching(f, flags, visit, visit.name, e);
      errors.push(e);
      continue;
    }
    for (const object of objects) {
      described++;
      let text: string;
      try {
        text = await describeObject(f, flags, visit.mapping, object);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!seen.has(message)) errors.push(e);
        seen.add(message);
        continue;
      }
      f.ctx.stdout(first ? text : `\n\n${text}`);
      first = false;
    }
  }
  if (described === 0 && errors.length === 0) {
    f.ctx.stderr(allNamespaces ? 'No resources found\n' : `No resources found in ${f.namespace().namespace} namespace.\n`);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors);
  return EXIT.ok;
}
