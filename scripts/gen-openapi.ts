/**
 * Generates src/engine/apiserver/openapi/data/schemas.json: the OpenAPI v3 component schemas of the kinds the
 * lab serves and of every schema they reach, as a Kubernetes 1.32 apiserver publishes them under /openapi/v3.
 *
 *   npx tsx scripts/gen-openapi.ts
 *
 * No npm package ships upstream's api/openapi-spec/v3 JSON, so the schemas are rebuilt from three packages
 * that were generated from it, fetched with `npm pack` into a scratch folder (not dependencies of the lab):
 *
 * - cdk8s-plus-32 (lib/imports/k8s.d.ts, imported from Kubernetes v1.32.0): every type and property with its
 *   upstream description (`@schema io.k8s.api.core.v1.Container#image`), required-ness and TypeScript type;
 * - @kubernetes/client-node 1.1.2 (models generated from v1.32.0): each property's OpenAPI `format`;
 * - kubernetes-models 4.5.0 (v1.33.0, generated with enums on, as a live apiserver serves them): `enum`
 *   lists and the "Possible enum values" paragraph, taken only where the rest of the description is 1.32's.
 *
 * The apimachinery scalars (Quantity, Time, MicroTime, FieldsV1, RawExtension) take their descriptions from
 * kubernetes-types (node_modules, 1.30; unchanged since), IntOrString's is copied below; v3 shapes are upstream's.
 * Strategic-merge-patch extensions come from PATCH below, copied from k8s.io/api v1.32's struct tags.
 * Not generated: `default` values, x-kubernetes-list-type / list-map-keys / map-type, and `paths`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { KINDS, OpenApiV3, type Schema, type SchemaData } from '../src/engine/apiserver/openapi/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = process.env.KUBELAB_OPENAPI_SRC ?? '/tmp/kubelab-openapi-src';
const out = join(root, 'src/engine/apiserver/openapi/data/schemas.json');

const SOURCES = {
  cdk8s: 'cdk8s-plus-32@2.5.92',
  clientNode: '@kubernetes/client-node@1.1.2',
  models: 'kubernetes-models@4.5.0',
} as const;

/** Unpacks an npm package into the scratch folder (once) and returns its root. */
function fetchPackage(spec: string): string {
  const dir = join(scratch, spec.replace(/[@/]/g, '_'));
  const pkg = join(dir, 'package');
  if (existsSync(pkg)) return pkg;
  mkdirSync(dir, { recursive: true });
  const file = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['xzf', join(dir, file), '-C', dir]);
  return pkg;
}

// —— JSDoc ——

function docOf(node: ts.Node): { text: string; tags: Map<string, string> } {
  const tags = new Map<string, string>();
  let text = '';
  for (const doc of ts.getJSDocCommentsAndTags(node)) {
    if (!ts.isJSDoc(doc)) continue;
    text = ts.getTextOfJSDocComment(doc.comment) ?? '';
    for (const tag of doc.tags ?? []) tags.set(tag.tagName.text, ts.getTextOfJSDocComment(tag.comment) ?? '');
  }
  return { text: unescapeDoc(text), tags };
}

/** Generators escape `*` (and the `*\/` that would end a comment); upstream's text has neither escape. */
function unescapeDoc(text: string): string {
  return text.replace(/\*\\\//g, '*/').replace(/\\\*/g, '*');
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

// —— cdk8s: types, properties, descriptions ——

interface Prop {
  name: string;
  description: string;
  required: boolean;
  type: ts.TypeNode;
  /** Overrides the declaration's resolver (a property borrowed from another source). */
  resolve?: (tsName: string) => string | undefined;
}
interface TypeDecl {
  description: string;
  props: Prop[];
  /** The schema a TypeScript type name in this declaration stands for. */
  resolve: (tsName: string) => string | undefined;
}

const cdk8sRoot = fetchPackage(SOURCES.cdk8s);
const k8sDts = parse(join(cdk8sRoot, 'lib/imports/k8s.d.ts'));
/** TypeScript name → schema name, and schema name → declaration. */
const schemaOfTsName = new Map<string, string>();
const decls = new Map<string, TypeDecl>();
for (const st of k8sDts.statements) {
  if (!ts.isInterfaceDeclaration(st) && !ts.isClassDeclaration(st)) continue;
  const { text, tags } = docOf(st);
  const schema = tags.get('schema');
  if (!schema || !st.name) continue;
  schemaOfTsName.set(st.name.text, schema);
  if (!ts.isInterfaceDeclaration(st)) continue;
  const props: Prop[] = [];
  for (const m of st.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const d = docOf(m);
    const name = d.tags.get('schema')?.split('#')[1] ?? m.name.getText(k8sDts);
    props.push({ name, description: d.text, required: !m.questionToken, type: m.type });
  }
  // Kube<Kind>Props carries the kind's own schema; a plain interface of the same schema never coexists.
  decls.set(schema, { description: text, props, resolve: (n) => schemaOfTsName.get(n) });
}

/**
 * cdk8s leaves out core/v1 Event (it imports events.k8s.io's): those few types, and meta types only status
 * reaches (Condition), come from kubernetes-types (1.30); they are unchanged in 1.32.
 */
function fromKubernetesTypes(schema: string): TypeDecl | undefined {
  const prefix = schema.startsWith('io.k8s.api.core.v1.') ? 'io.k8s.api.core.v1.' : schema.startsWith(`${META}.`) ? `${META}.` : undefined;
  if (!prefix) return undefined;
  const sf = parse(join(root, 'node_modules/kubernetes-types', prefix === `${META}.` ? 'meta/v1.d.ts' : 'core/v1.d.ts'));
  const local = new Set(sf.statements.filter(ts.isInterfaceDeclaration).map((s) => s.name.text));
  const resolve = (n: string): string | undefined =>
    ['Time', 'MicroTime', 'ObjectMeta', 'ListMeta'].includes(n) ? `${META}.${n}` : local.has(n) ? prefix + n : undefined;
  for (const st of sf.statements) {
    if (!ts.isInterfaceDeclaration(st) || st.name.text !== schema.slice(prefix.length)) continue;
    const props: Prop[] = [];
    for (const m of st.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = m.name.getText(sf);
      if (name === 'apiVersion' || name === 'kind') continue;
      props.push({ name, description: docOf(m).text, required: !m.questionToken, type: m.type });
    }
    return { description: docOf(st).text, props, resolve };
  }
  return undefined;
}

// —— client-node: formats ——

const clientNode = fetchPackage(SOURCES.clientNode);
const modelsDir = join(clientNode, 'dist/gen/models');
interface Attribute {
  baseName: string;
  type: string;
  format: string;
}
async function attributesOf(schema: string, propNames: string[]): Promise<Map<string, Attribute> | undefined> {
  const parts = schema.split('.');
  const name = parts.at(-1)!;
  const version = parts.at(-2)!;
  const group = schema.startsWith('io.k8s.api.') ? parts[3]! : '';
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const candidates = [`${cap(version)}${name}`, `${cap(group)}${cap(version)}${name}`];
  for (const c of candidates) {
    const file = join(modelsDir, `${c}.js`);
    if (!existsSync(file)) continue;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, { attributeTypeMap?: Attribute[] }>;
    const map = new Map((mod[c]?.attributeTypeMap ?? []).map((a) => [a.baseName, a]));
    if (map.size && propNames.every((p) => map.has(p))) return map;
  }
  return undefined;
}

// —— kubernetes-models: enums ——

const modelsRoot = fetchPackage(SOURCES.models);
/** "apps/v1/DeploymentSpec.d.ts" → io.k8s.api.apps.v1.DeploymentSpec */
function modelsSchemaName(rel: string): string {
  const parts = rel.replace(/\.d\.ts$/, '').split('/');
  const name = parts.pop()!;
  const version = parts.pop()!;
  const group = parts.length === 0 ? 'core' : parts[0]!.replace('.authorization.k8s.io', '').replace('.k8s.io', '');
  return `io.k8s.api.${group}.${version}.${name}`;
}
const enums = new Map<string, { description: string; values: string[] }>();
function walk(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '_schemas') walk(path);
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') {
      const src = readFileSync(path, 'utf8');
      if (!src.includes('Possible enum values')) continue;
      const schema = modelsSchemaName(relative(modelsRoot, path));
      const sf = ts.createSourceFile(path, src, ts.ScriptTarget.Latest, true);
      for (const st of sf.statements) {
        if (!ts.isInterfaceDeclaration(st)) continue;
        for (const m of st.members) {
          if (!ts.isPropertySignature(m) || !m.type) continue;
          const { text } = docOf(m);
          if (!text.includes('Possible enum values:')) continue;
          const literals = (t: ts.TypeNode): string[] =>
            ts.isUnionTypeNode(t) ? t.types.flatMap(literals)
            : ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text]
            : ts.isArrayTypeNode(t) ? literals(t.elementType)
            : ts.isParenthesizedTypeNode(t) ? literals(t.type)
            : [];
          const values = literals(m.type);
          if (values.length) enums.set(`${schema}#${m.name.getText(sf).replace(/"/g, '')}`, { description: text, values });
        }
      }
    }
  }
}
walk(modelsRoot);

/**
 * cdk8s omits `status` (its objects are written, never read): the status types come from kubernetes-models
 * (1.33), cut down to the properties client-node's 1.32 models have.
 */
function modelsFile(schema: string): string | undefined {
  const m = schema.match(/^io\.k8s\.api\.([a-z]+)\.(v[0-9a-z]+)\.(\w+)$/);
  if (!m) return undefined;
  const [, group, version, name] = m;
  const dir = group === 'core' ? '' : ['apps', 'batch', 'policy', 'autoscaling'].includes(group!) ? `${group}/` : group === 'rbac' ? 'rbac.authorization.k8s.io/' : `${group}.k8s.io/`;
  const file = join(modelsRoot, `${dir}${version}/${name}.d.ts`);
  return existsSync(file) ? file : undefined;
}
async function fromModels(schema: string): Promise<TypeDecl | undefined> {
  const file = modelsFile(schema);
  if (!file) return undefined;
  const sf = parse(file);
  const aliases = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const from = st.moduleSpecifier.text;
    const target = from.startsWith('@kubernetes-models/apimachinery/') ? `io.k8s.apimachinery.pkg.${from.slice('@kubernetes-models/apimachinery/'.length).replace(/\//g, '.')}`
      : from.startsWith('.') ? modelsSchemaName(relative(modelsRoot, join(dirname(file), from)) + '.d.ts') : undefined;
    const bindings = st.importClause?.namedBindings;
    if (target && bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) aliases.set(e.name.text, target);
  }
  const iface = sf.statements.find(ts.isInterfaceDeclaration);
  if (!iface) return undefined;
  const props: Prop[] = [];
  for (const m of iface.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = m.name.getText(sf).replace(/"/g, '');
    if (name === 'apiVersion' || name === 'kind') continue;
    props.push({ name, description: docOf(m).text.split('\n\nPossible enum values:')[0]!, required: !m.questionToken, type: m.type });
  }
  const cn = await attributesOf(schema, []);
  return { description: docOf(iface).text, props: cn ? props.filter((p) => cn.has(p.name)) : props, resolve: (n) => aliases.get(n) };
}

// —— apimachinery scalars ——

function typesDoc(file: string, name: string): string {
  const sf = parse(join(root, 'node_modules/kubernetes-types', file));
  for (const st of sf.statements) {
    if ((ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) && st.name.text === name) return docOf(st).text;
  }
  throw new Error(`kubernetes-types: no ${name} in ${file}`);
}
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const INT_OR_STRING = 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';
const SCALARS: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { description: typesDoc('api/resource.d.ts', 'Quantity'), oneOf: [{ type: 'string' }, { type: 'number' }] },
  // kubernetes-types spells IntOrString `number | string`, without its doc: this is k8s.io/apimachinery's.
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { description: INT_OR_STRING, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  [`${META}.Time`]: { description: typesDoc('meta/v1.d.ts', 'Time'), format: 'date-time', type: 'string' },
  [`${META}.MicroTime`]: { description: typesDoc('meta/v1.d.ts', 'MicroTime'), format: 'date-time', type: 'string' },
  [`${META}.FieldsV1`]: { description: typesDoc('meta/v1.d.ts', 'FieldsV1'), type: 'object' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { description: typesDoc('runtime.d.ts', 'RawExtension'), type: 'object' },
};
/** Properties cdk8s types as `any`: the schema upstream refers to. */
const ANY_REFS: Record<string, string> = {
  [`${META}.ManagedFieldsEntry#fieldsV1`]: `${META}.FieldsV1`,
  'io.k8s.api.apps.v1.ControllerRevision#data': 'io.k8s.apimachinery.pkg.runtime.RawExtension',
};

/**
 * x-kubernetes-patch-strategy / -merge-key, from the `patchStrategy` and `patchMergeKey` struct tags of
 * k8s.io/api and k8s.io/apimachinery v0.32 (what kubectl's client-side apply merges lists by).
 */
const PATCH: Record<string, Record<string, [strategy: string, mergeKey?: string]>> = {
  [`${META}.ObjectMeta`]: { finalizers: ['merge'], ownerReferences: ['merge', 'uid'] },
  'io.k8s.api.core.v1.PodSpec': {
    volumes: ['merge,retainKeys', 'name'], initContainers: ['merge', 'name'], containers: ['merge', 'name'],
    ephemeralContainers: ['merge', 'name'], imagePullSecrets: ['merge', 'name'], hostAliases: ['merge', 'ip'],
    topologySpreadConstraints: ['merge', 'topologyKey'], schedulingGates: ['merge', 'name'], resourceClaims: ['merge,retainKeys', 'name'],
  },
  'io.k8s.api.core.v1.Container': { ports: ['merge', 'containerPort'], env: ['merge', 'name'], volumeMounts: ['merge', 'mountPath'], volumeDevices: ['merge', 'devicePath'] },
  'io.k8s.api.core.v1.EphemeralContainer': { ports: ['merge', 'containerPort'], env: ['merge', 'name'], volumeMounts: ['merge', 'mountPath'], volumeDevices: ['merge', 'devicePath'] },
  'io.k8s.api.core.v1.ContainerStatus': { volumeMounts: ['merge', 'mountPath'], allocatedResourcesStatus: ['merge', 'name'] },
  'io.k8s.api.core.v1.PodStatus': { conditions: ['merge', 'type'], podIPs: ['merge', 'ip'], hostIPs: ['merge', 'ip'], resourceClaimStatuses: ['merge,retainKeys', 'name'] },
  'io.k8s.api.core.v1.NodeSpec': { podCIDRs: ['merge'] },
  'io.k8s.api.core.v1.NodeStatus': { conditions: ['merge', 'type'], addresses: ['merge', 'type'] },
  'io.k8s.api.core.v1.ServiceSpec': { ports: ['merge', 'port'] },
  'io.k8s.api.core.v1.ServiceAccount': { secrets: ['merge', 'name'] },
  'io.k8s.api.core.v1.NamespaceStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: ['retainKeys'] },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.batch.v1.JobStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: ['replace'] },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: ['merge', 'type'] },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: ['merge', 'type'] },
};

const API_VERSION = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

// —— build ——

const schemas: Record<string, Schema> = {};
const pending: string[] = [];
const warnings: string[] = [];
const gvkOf = new Map<string, { group: string; version: string; kind: string }>();
for (const k of KINDS) {
  const short = k.group === '' ? 'core' : k.group.replace('.authorization.k8s.io', '').replace('.k8s.io', '');
  for (const kind of [k.kind, `${k.kind}List`]) {
    const name = `io.k8s.api.${short}.${k.version}.${kind}`;
    // Binding has no List.
    if (kind !== k.kind && !decls.has(name) && !fromKubernetesTypes(name)) continue;
    gvkOf.set(name, { group: k.group, version: k.version, kind });
    pending.push(name);
  }
}

function typeSchema(t: ts.TypeNode, owner: string, prop: string, attr: Attribute | undefined, decl: TypeDecl): Schema {
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword: return { type: 'string', ...(attr?.format ? { format: attr.format } : {}) };
    case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword: {
      const format = attr?.format;
      return format === 'double' ? { type: 'number', format } : { type: 'integer', ...(format ? { format } : {}) };
    }
    case ts.SyntaxKind.AnyKeyword: {
      const ref = ANY_REFS[`${owner}#${prop}`];
      if (!ref) throw new Error(`no schema for ${owner}#${prop} (any)`);
      return refTo(ref);
    }
  }
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeSchema(t.elementType, owner, prop, itemAttr(attr), decl) };
  if (ts.isTypeLiteralNode(t)) {
    const index = t.members.find(ts.isIndexSignatureDeclaration);
    if (!index) throw new Error(`${owner}#${prop}: unexpected type literal`);
    return { type: 'object', additionalProperties: typeSchema(index.type, owner, prop, itemAttr(attr), decl) };
  }
  if (ts.isUnionTypeNode(t) && t.types.every((u) => ts.isLiteralTypeNode(u))) return { type: 'string' };
  if (ts.isParenthesizedTypeNode(t)) return typeSchema(t.type, owner, prop, attr, decl);
  if (ts.isTypeReferenceNode(t)) {
    const name = ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
    if (name === 'Array' && t.typeArguments?.[0]) return { type: 'array', items: typeSchema(t.typeArguments[0], owner, prop, itemAttr(attr), decl) };
    if (name === 'Date') return refTo(attr?.type === 'V1MicroTime' ? `${META}.MicroTime` : `${META}.Time`);
    const schema = decl.resolve(name);
    if (schema) return refTo(schema);
    // json2jsii turns a one-value enum into a TypeScript enum (e.g. DeleteOptions' kind): still a string.
    return { type: 'string' };
  }
  throw new Error(`${owner}#${prop}: unexpected type ${ts.SyntaxKind[t.kind]}`);
}

/** The attribute of a list's items or a map's values: same format, element type name. */
function itemAttr(attr: Attribute | undefined): Attribute | undefined {
  if (!attr) return undefined;
  const inner = attr.type.match(/^Array<(.+)>$/)?.[1] ?? attr.type.match(/^\{ \[key: string\]: (.+); \}$/)?.[1] ?? attr.type;
  return { ...attr, type: inner };
}

function refTo(name: string): Schema {
  if (!(name in schemas) && !pending.includes(name)) pending.push(name);
  return { $ref: `#/components/schemas/${name}` };
}

async function build(name: string): Promise<Schema> {
  if (SCALARS[name]) return SCALARS[name];
  let decl = decls.get(name);
  if (decl) {
    // Add what cdk8s leaves out of a kind: its status.
    const fromKm = await fromModels(name);
    const missing = fromKm?.props.filter((p) => !decl!.props.some((q) => q.name === p.name)) ?? [];
    if (missing.length) {
      const base = decl;
      decl = { ...base, props: [...base.props, ...missing.map((p) => ({ ...p, resolve: fromKm!.resolve }))] };
    }
  } else {
    decl = (await fromModels(name)) ?? fromKubernetesTypes(name);
    if (!decl) throw new Error(`no source has schema ${name}`);
  }
  const attrs = await attributesOf(name, decl.props.map((p) => p.name));
  if (!attrs) warnings.push(`no client-node model for ${name}: formats left out`);
  const properties: Record<string, Schema> = {};
  const gvk = gvkOf.get(name);
  const props = [...decl.props];
  if (gvk) {
    props.push({ name: 'apiVersion', description: API_VERSION, required: false, type: ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword) });
    props.push({ name: 'kind', description: KIND, required: false, type: ts.factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword) });
  }
  props.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const required: string[] = [];
  for (const p of props) {
    let s = typeSchema(p.type, name, p.name, attrs?.get(p.name), p.resolve ? { ...decl, resolve: p.resolve } : decl);
    let description = p.description;
    const e = enums.get(`${name}#${p.name}`);
    if (e) {
      const [head, tail] = e.description.split('\n\nPossible enum values:');
      if (head !== description) warnings.push(`${name}#${p.name}: enum taken from 1.33 though its description differs from 1.32's`);
      description = `${description}\n\nPossible enum values:${tail}`;
      if (s.type === 'array' && s.items) s = { ...s, items: { ...s.items, enum: e.values } };
      else s = { ...s, enum: e.values };
    }
    const withDoc: Schema = s.$ref ? { allOf: [s], ...(description ? { description } : {}) } : { ...(description ? { description } : {}), ...s };
    const patch = PATCH[name]?.[p.name];
    if (patch) {
      if (patch[1]) withDoc['x-kubernetes-patch-merge-key'] = patch[1];
      withDoc['x-kubernetes-patch-strategy'] = patch[0];
    }
    properties[p.name] = withDoc;
    if (p.required) required.push(p.name);
  }
  for (const [field] of Object.entries(PATCH[name] ?? {})) if (!properties[field]) throw new Error(`PATCH names ${name}#${field}, which 1.32 does not have`);
  const schema: Schema = { description: decl.description, properties, type: 'object' };
  if (required.length) schema.required = required;
  if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
  return schema;
}

while (pending.length) {
  const name = pending.shift()!;
  if (name in schemas) continue;
  schemas[name] = await build(name);
}
for (const name of Object.keys(PATCH)) if (!schemas[name]) throw new Error(`PATCH names ${name}, which no kind reaches`);

const sorted: Record<string, Schema> = {};
for (const name of Object.keys(schemas).sort()) sorted[name] = schemas[name]!;
const data: SchemaData = { schemas: sorted, hashes: {} };
// The index publishes each document's SHA-512, as upstream does; the engine has no synchronous SHA-512.
const server = new OpenApiV3();
server.setData(data);
for (const gv of server.groupVersions()) data.hashes[gv] = createHash('sha512').update(server.document(`/openapi/v3/${gv}`)!).digest('hex').toUpperCase();

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(data));
for (const w of warnings) console.warn(`warning: ${w}`);
console.log(`${relative(root, out)}: ${Object.keys(sorted).length} schemas, ${Object.keys(data.hashes).length} group-versions, ${readFileSync(out).length} bytes`);
