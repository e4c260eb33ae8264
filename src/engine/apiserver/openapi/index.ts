/**
 * OpenApiV3 — the apiserver's /openapi/v3 (k8s.io/kube-openapi/pkg/handler3): an index of group-version
 * documents, `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`, and per
 * group-version a document whose `components.schemas` hold the schemas of that group-version's kinds and
 * of everything they reach, as Kubernetes 1.32 publishes them: descriptions, types, formats, `required`,
 * `enum`, `$ref`s (wrapped in `allOf` when a property adds a description), `x-kubernetes-group-version-kind`
 * and the strategic-merge-patch extensions. `kubectl explain` renders these; kubectl's client-side apply
 * reads the patch extensions to merge lists by key.
 *
 * The schemas are bundled data (data/schemas.json, written by scripts/gen-openapi.ts) that `load()` imports
 * lazily, so they stay out of the first-paint bundle; afterwards every call is synchronous. Each schema is
 * stored once and each document is the closure of its kinds' schemas, built on first request and kept.
 *
 * Left out: all `paths` but one operation per kind (kubectl explain finds a resource's kind through it),
 * `default` values,
 * x-kubernetes-list-type / list-map-keys / map-type, the non-group documents of the index (`version`,
 * `.well-known/openid-configuration`…), /openapi/v2 (kubectl 1.32 explains and patches from v3), and the
 * protobuf encoding.
 */
import { KINDS as SCHEME_KINDS, type KindInfo } from '../../api/scheme.ts';
import { jsonResponse, type ApiRequest, type ApiResponse } from '../http.ts';
import type { RequestInfo } from '../requestInfo.ts';
import { KUBERNETES_VERSION } from '../version.ts';

/** An OpenAPI v3 schema object, as far as Kubernetes uses it. */
export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  required?: string[];
  enum?: string[];
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
}

/** The generated data: every schema once, and each group-version document's SHA-512 (upper-case hex). */
export interface SchemaData {
  schemas: Record<string, Schema>;
  hashes: Record<string, string>;
}

/** A kind whose schema is published (with its List), and the resource that serves it. */
export type PublishedKind = Pick<KindInfo, 'group' | 'version' | 'kind' | 'resource' | 'namespaced'>;

/** The scheme's kinds whose schemas are published: all but the review APIs (no schemas bundled). */
export const KINDS: readonly PublishedKind[] = SCHEME_KINDS.filter((k) => !k.virtual || k.kind === 'Binding');

const PREFIX = '/openapi/v3';
const REF = '#/components/schemas/';

/** "api/v1" for the core group, "apis/<group>/<version>" for the others. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export class OpenApiV3 {
  private data: SchemaData | undefined;
  private readonly documents = new Map<string, string>();

  /** Imports the bundled schemas (once). */
  async load(): Promise<void> {
    if (this.data) return;
    const mod = (await import('./data/schemas.json')) as { default: SchemaData };
    this.setData(mod.default);
  }

  /** Serves `data` instead of the bundled schemas (the generator and tests use this). */
  setData(data: SchemaData): void {
    this.data = data;
    this.documents.clear();
  }

  get loaded(): boolean {
    return this.data !== undefined;
  }

  /** The group-version paths served, in KINDS order: "api/v1", "apis/apps/v1", … */
  groupVersions(): string[] {
    const out: string[] = [];
    for (const k of KINDS) {
      const gv = groupVersionPath(k.group, k.version);
      if (!out.includes(gv)) out.push(gv);
    }
    return out;
  }

  /**
   * The document at `path` (no query) as JSON: the index at /openapi/v3, a group-version document at
   * /openapi/v3/<gv>; undefined for other paths, or before `load()`.
   */
  document(path: string): string | undefined {
    const data = this.data;
    if (!data) return undefined;
    const trimmed = path.replace(/\/+$/, '');
    if (trimmed === PREFIX) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const gv of this.groupVersions()) paths[gv] = { serverRelativeURL: `${PREFIX}/${gv}?hash=${data.hashes[gv] ?? ''}` };
      return JSON.stringify({ paths });
    }
    if (!trimmed.startsWith(`${PREFIX}/`)) return undefined;
    const gv = trimmed.slice(PREFIX.length + 1);
    if (!this.groupVersions().includes(gv)) return undefined;
    let doc = this.documents.get(gv);
    if (doc === undefined) {
      doc = this.build(data, gv);
      this.documents.set(gv, doc);
    }
    return doc;
  }

  /**
   * As a NonResourceHandler: 200 with the document; a stale `?hash=` is answered with a 301 to the current
   * one, and a current one is cacheable for a year, as upstream does.
   */
  handle(request: ApiRequest, _info?: RequestInfo): ApiResponse | undefined {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const body = this.document(request.path);
    if (body === undefined) return undefined;
    const hash = request.query.get('hash');
    const gv = request.path.replace(/\/+$/, '').slice(PREFIX.length + 1);
    if (hash !== null && gv) {
      const current = this.data?.hashes[gv] ?? '';
      if (hash !== current) return { status: 301, headers: { location: `${PREFIX}/${gv}?hash=${current}` }, body: '' };
      const response = jsonResponse(200, body);
      response.headers['cache-control'] = 'public, immutable, max-age=31536000';
      response.headers.etag = `"${current}"`;
      return response;
    }
    return jsonResponse(200, body);
  }

  private build(data: SchemaData, gv: string): string {
    const names: string[] = [];
    const visit = (name: string): void => {
      if (names.includes(name)) return;
      const schema = data.schemas[name];
      if (!schema) throw new Error(`openapi: schema ${name} is referenced but not bundled`);
      names.push(name);
      for (const ref of refsOf(schema)) visit(ref);
    };
    for (const k of KINDS) {
      if (groupVersionPath(k.group, k.version) !== gv) continue;
      const prefix = `io.k8s.api.${shortGroup(k.group)}.${k.version}.`;
      visit(prefix + k.kind);
      if (data.schemas[`${prefix}${k.kind}List`]) visit(`${prefix}${k.kind}List`);
    }
    const schemas: Record<string, Schema> = {};
    for (const name of names.sort()) schemas[name] = data.schemas[name]!;
    return JSON.stringify({ components: { schemas }, info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion }, openapi: '3.0.0', paths: this.paths(gv) });
  }

  /**
   * One operation per kind: `get` on its item path (Binding: `post` on its collection), tagged with the
   * kind's x-kubernetes-group-version-kind — kubectl explain maps a resource to its kind through these.
   */
  private paths(gv: string): Record<string, Record<string, Record<string, unknown>>> {
    const paths: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const k of KINDS) {
      if (groupVersionPath(k.group, k.version) !== gv) continue;
      const collection = `/${gv}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
      const gvk = { group: k.group, kind: k.kind, version: k.version };
      const write = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
      paths[collection] = { post: { description: `create a ${k.kind}`, parameters: write, 'x-kubernetes-action': 'post', 'x-kubernetes-group-version-kind': gvk } };
      if (k.kind === 'Binding') continue;
      paths[`${collection}/{name}`] = {
        get: { description: `read the specified ${k.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
        put: { description: `replace the specified ${k.kind}`, parameters: write, 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk },
        // kubectl looks for fieldValidation among a kind's PATCH parameters to learn the server validates fields.
        patch: { description: `partially update the specified ${k.kind}`, parameters: [...write, query('force')], 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk },
      };
    }
    return paths;
  }
}

/** A query parameter of an operation, as the apiserver's OpenAPI lists it (the schema is all kubectl reads). */
function query(name: string): Record<string, unknown> {
  return { name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true } };
}

/** The Go package name of a group: "" → core, "rbac.authorization.k8s.io" → rbac, "apps" → apps. */
function shortGroup(group: string): string {
  return group === '' ? 'core' : group.split('.')[0]!;
}

function refsOf(schema: Schema): string[] {
  const out: string[] = [];
  const walk = (s: Schema): void => {
    if (s.$ref) out.push(s.$ref.slice(REF.length));
    for (const sub of [...Object.values(s.properties ?? {}), ...(s.allOf ?? []), ...(s.oneOf ?? [])]) walk(sub);
    if (s.items) walk(s.items);
    if (s.additionalProperties) walk(s.additionalProperties);
  };
  walk(schema);
  return out;
}
