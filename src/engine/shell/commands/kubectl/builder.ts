/**
 * The resource builder (k8s.io/cli-runtime/pkg/resource/builder.go): what a command's arguments and
 * `-f` name, as a list of visits — one object by name, one listed type (with `-l`, `--field-selector`,
 * `--all`, `-A`), or one object read from a manifest. Arguments take kubectl's forms: `TYPE`,
 * `TYPE NAME…`, `TYPE/NAME…`, `TYPE1,TYPE2 [NAME…]`; `-f FILE|DIR|-` reads multi-document YAML or JSON
 * (a `List` yields its items), directories by extension (.json, .yaml, .yml), recursively with `-R`.
 * Left out: URLs, kustomize (-k), and the OpenAPI validation of manifests.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../client/rest/restClient.ts';
import { FsError } from '../../fs.ts';
import { KubectlError } from './errors.ts';
import type { Factory } from './factory.ts';
import { KindMatchError, type ApiResource, type RestMapper } from './restMapper.ts';

export interface NamedVisit {
  type: 'name';
  mapping: ApiResource;
  namespace: string;
  name: string;
}

export interface ListVisit {
  type: 'list';
  mapping: ApiResource;
  /** '' for all namespaces (or a cluster-scoped resource). */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
}

export interface ObjectVisit {
  type: 'object';
  mapping: ApiResource;
  namespace: string;
  name: string;
  object: KubeObject;
  source: string;
}

export type Visit = NamedVisit | ListVisit | ObjectVisit;

export interface BuilderOptions {
  args: readonly string[];
  filenames: readonly string[];
  recursive: boolean;
  labelSelector: string;
  fieldSelector: string;
  allNamespaces: boolean;
  /** `--all`: select every object of the types. */
  all?: boolean;
  /** Whether a bare TYPE lists (get) or is an error without a selector (delete, label…). */
  requireObject?: boolean;
}

const MIXED_FORM =
  "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/** Resolve `options` into visits, in the order kubectl visits them. */
export async function build(f: Factory, options: BuilderOptions): Promise<Visit[]> {
  const { namespace, explicit } = f.namespace();
  if (options.filenames.length > 0) {
    if (options.args.length > 0) throw new KubectlError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    const mapper = await f.mapper();
    const visits: Visit[] = [];
    for (const { source, object } of readManifests(f, options.filenames, options.recursive)) {
      visits.push(objectVisit(mapper, object, source, namespace, explicit));
    }
    return visits;
  }
  const args = options.args;
  if (args.length === 0) return [];
  const mapper = await f.mapper();
  const scoped = (m: ApiResource, ns: string) => (m.namespaced ? ns : '');
  if (args.some((a) => a.includes('/'))) {
    const visits: Visit[] = [];
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash < 0) throw new KubectlError(`error: ${MIXED_FORM}`);
      const name = arg.slice(slash + 1);
      if (!name) throw new KubectlError(`error: arguments in resource/name form must have a single resource and name`);
      const mapping = mapper.resourceFor(arg.slice(0, slash));
      visits.push({ type: 'name', mapping, namespace: scoped(mapping, namespace), name });
    }
    return visits;
  }
  const [typeArg = '', ...names] = args;
  const types: ApiResource[] = [];
  for (const t of typeArg.split(',').filter(Boolean)) {
    const category = mapper.category(t.toLowerCase());
    if (category && !mapper.resources.some((r) => r.resource === t.toLowerCase())) types.push(...category);
    else types.push(mapper.resourceFor(t));
  }
  if (names.length > 0) {
    if (options.labelSelector) throw new KubectlError('error: name cannot be provided when a selector is specified');
    return types.flatMap((mapping) => names.map((name): Visit => ({ type: 'name', mapping, namespace: scoped(mapping, namespace), name })));
  }
  if (options.requireObject && !options.labelSelector && !options.fieldSelector && !options.all) {
    throw new KubectlError('error: resource(s) were provided, but no name was specified');
  }
  return types.map((mapping): Visit => ({ type: 'list', mapping, namespace: options.allNamespaces ? '' : scoped(mapping, namespace), labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }));
}

function objectVisit(mapper: RestMapper, object: KubeObject, source: string, namespace: string, explicit: boolean): ObjectVisit {
  const missing = [...(object.apiVersion ? [] : ['apiVersion not set']), ...(object.kind ? [] : ['kind not set'])];
  if (missing.length) {
    throw new KubectlError(`error: error validating "${source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  let mapping: ApiResource;
  try {
    mapping = mapper.resourceForKind(object.apiVersion ?? '', object.kind ?? '');
  } catch (e) {
    if (e instanceof KindMatchError) {
      const name = object.metadata?.name ?? '';
      throw new KubectlError(`error: resource mapping not found for name: "${name}" namespace: "${object.metadata?.namespace ?? ''}" from "${source}": ${e.message}\nensure CRDs are installed first`);
    }
    throw e;
  }
  const own = object.metadata?.namespace;
  if (mapping.namespaced && own && explicit && own !== namespace) {
    throw new KubectlError(`error: the namespace from the provided object "${own}" does not match the namespace "${namespace}". You must pass '--namespace=${own}' to perform this operation.`);
  }
  const ns = mapping.namespaced ? own || namespace : '';
  return { type: 'object', mapping, namespace: ns, name: object.metadata?.name ?? '', object, source };
}

/** Every object in the named files, directories (by extension) and stdin (`-`), in order. */
export function readManifests(f: Factory, filenames: readonly string[], recursive: boolean): Array<{ source: string; object: KubeObject }> {
  const out: Array<{ source: string; object: KubeObject }> = [];
  for (const name of filenames) {
    if (name === '-') {
      out.push(...parseManifest(f.ctx.stdin, 'STDIN'));
      continue;
    }
    const fs = f.ctx.fs;
    const path = fs.resolve(name, f.cwd);
    const stat = fs.stat(path);
    if (!stat) throw new KubectlError(`error: the path "${name}" does not exist`);
    if (stat.type === 'file') {
      out.push(...parseManifest(readText(f, path, name), name));
      continue;
    }
    const walk = (dir: string, shown: string, top: boolean) => {
      for (const entry of fs.readdir(dir)) {
        const child = `${dir.replace(/\/$/, '')}/${entry}`;
        const childShown = `${shown.replace(/\/$/, '')}/${entry}`;
        const s = fs.stat(child);
        if (s?.type === 'dir') {
          if (recursive || top) {
            if (recursive) walk(child, childShown, false);
          }
        } else if (/\.(json|ya?ml)$/.test(entry)) {
          out.push(...parseManifest(readText(f, child, childShown), childShown));
        }
      }
    };
    walk(path, name, true);
  }
  return out;
}

function readText(f: Factory, path: string, shown: string): string {
  try {
    return f.ctx.fs.readFile(path);
  } catch (e) {
    if (e instanceof FsError) throw new KubectlError(`error: the path "${shown}" cannot be read: ${e.describe}`);
    throw e;
  }
}

/** Objects of a multi-document YAML or JSON text; a `List`'s items in its place. */
export function parseManifest(text: string, source: string): Array<{ source: string; object: KubeObject }> {
  const out: Array<{ source: string; object: KubeObject }> = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      const first = doc.errors[0];
      throw new KubectlError(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${first?.message.split('\n')[0] ?? 'invalid document'}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new KubectlError(`error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    const object = value as KubeObject;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items as KubeObject[]) out.push({ source, object: item });
    } else out.push({ source, object });
  }
  return out;
}
