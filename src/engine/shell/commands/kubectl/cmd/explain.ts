/**
 * kubectl explain (k8s.io/kubectl/pkg/cmd/explain, pkg/explain, pkg/explain/v2): `TYPE[.field…]` resolved
 * as kubectl 1.32 does — without --api-version the first of the mapper's matches whose `resource.group`
 * starts the argument (`deployments.apps.spec`), else the first match and every later dot a field; with
 * --api-version=GROUP/VERSION the first dot ends the resource — then the server's OpenAPI v3 document of
 * that group-version (/openapi/v3, then its serverRelativeURL) rendered by the plaintext template, with
 * `--recursive` for the field tree. Errors as kubectl prints them: no TYPE, more than one, an unknown
 * resource (CheckErr's bare `the server doesn't have a resource type "x"`), an unknown group-version, a
 * missing field (after the header, which is already written), an unknown `--output`.
 *
 * `--output=plaintext-openapiv2` (and `plaintext` when the server has no /openapi/v3) reads the swagger
 * 2.0 document at /openapi/v2, which the lab's apiserver does not serve: it fails, as the real kubectl
 * does against the lab, with client-go's generic error for the status. Left out: the openapiv2 renderer
 * itself (pkg/explain's model printer), which only a server serving /openapi/v2 would reach.
 */
import { StatusError, asStatusError } from '../../../../api/errors.ts';
import type { StatusReason } from '../../../../api/errors.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, NoResourceMatchError } from '../errors.ts';
import { ExplainError, gvrString, renderPlaintext, type GroupVersionResource } from '../explain/plaintext.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import type { ApiResource, RestMapper } from '../restMapper.ts';

const PLAINTEXT = 'plaintext';
const PLAINTEXT_OPENAPIV2 = 'plaintext-openapiv2';

/** client-go's NewGenericServerResponse: the text for a status whose body it could not decode. */
const GENERIC: Readonly<Record<number, [StatusReason, string]>> = {
  400: ['BadRequest', 'the server rejected our request for an unknown reason'],
  401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
  404: ['NotFound', 'the server could not find the requested resource'],
  405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
  503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
};

function genericServerError(e: unknown): unknown {
  const status = asStatusError(e);
  const generic = status?.status.code === undefined ? undefined : GENERIC[status.status.code];
  if (!status || !generic) return e;
  return new StatusError({ ...status.status, reason: generic[0], message: generic[1], details: {} });
}

/** schema.ParseGroupVersion. */
function parseGroupVersion(gv: string): { group: string; version: string } {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: gv };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  throw new KubectlError(`error: unexpected GroupVersion string: ${gv}`);
}

function toGvr(r: ApiResource): GroupVersionResource {
  return { group: r.group, version: r.version, resource: r.resource };
}

/** The mapper's matches for `name`, with CheckErr's wording of a miss. */
function resourcesFor(mapper: RestMapper, name: string): ApiResource[] {
  try {
    return mapper.resourcesFor(name);
  } catch (e) {
    if (e instanceof NoResourceMatchError) throw new KubectlError(`the server doesn't have a resource type ${JSON.stringify(e.resource)}`);
    throw e;
  }
}

/** explain.SplitAndParseResourceRequestWithMatchingPrefix. */
function splitWithMatchingPrefix(mapper: RestMapper, arg: string): { gvr: GroupVersionResource; fieldPath: string[] } {
  const input = arg.endsWith('.') ? arg.slice(0, -1) : arg;
  const parts = input.split('.');
  const matches = resourcesFor(mapper, parts[0] ?? '');
  for (const r of matches) {
    const groupResource = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (input.startsWith(groupResource)) {
      const suffix = input.slice(groupResource.length);
      return { gvr: toGvr(r), fieldPath: suffix ? suffix.split('.').slice(1) : [] };
    }
  }
  return { gvr: toGvr(matches[0]!), fieldPath: parts.slice(1) };
}

/** explain.SplitAndParseResourceRequest: the resource is everything before the first dot. */
function split(mapper: RestMapper, arg: string): { gvr: GroupVersionResource; fieldPath: string[] } {
  const parts = (arg.endsWith('.') ? arg.slice(0, -1) : arg).split('.');
  return { gvr: toGvr(resourcesFor(mapper, parts[0] ?? '')[0]!), fieldPath: parts.slice(1) };
}

/** The OpenAPI v3 index (client-go openapi.Client.Paths): group-version → its document's URL. */
async function openApiPaths(f: Factory): Promise<Record<string, string>> {
  const index = JSON.parse((await f.client().raw('GET', '/openapi/v3')).body) as { paths?: Record<string, { serverRelativeURL?: string }> };
  const paths: Record<string, string> = {};
  for (const [gv, entry] of Object.entries(index.paths ?? {})) paths[gv] = entry.serverRelativeURL ?? '';
  return paths;
}

function statusMessage(e: unknown): string {
  return asStatusError(e)?.status.message ?? (e instanceof Error ? e.message : String(e));
}

/** v2.PrintModelDescription: fetch the group-version's document and render it. */
async function printModelDescription(f: Factory, paths: Record<string, string>, gvr: GroupVersionResource, fieldPath: string[], recursive: boolean, format: string): Promise<void> {
  const resourcePath = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`;
  const url = paths[resourcePath];
  if (url === undefined) throw new KubectlError(`error: couldn't find resource for ${JSON.stringify(gvrString(gvr))}`);
  const q = url.indexOf('?');
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).entries());
  let body: string;
  try {
    body = (await f.client().raw('GET', q < 0 ? url : url.slice(0, q), query)).body;
  } catch (e) {
    throw new KubectlError(`error: failed to fetch openapi schema for ${resourcePath}: ${statusMessage(e)}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (e) {
    throw new KubectlError(`error: failed to parse openapi schema for ${resourcePath}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (format !== PLAINTEXT) throw new KubectlError(`error: unrecognized format: ${format}`);
  try {
    renderPlaintext(document as Record<string, unknown>, gvr, fieldPath, recursive, (text) => f.ctx.stdout(text));
  } catch (e) {
    if (e instanceof ExplainError) throw new KubectlError(e.message);
    throw e;
  }
}

/** renderOpenAPIV2: the swagger 2.0 document, which the lab's apiserver does not serve. */
async function renderOpenApiV2(f: Factory, apiVersion: string): Promise<never> {
  if (apiVersion) parseGroupVersion(apiVersion);
  try {
    await f.client().raw('GET', '/openapi/v2');
  } catch (e) {
    throw genericServerError(e);
  }
  throw new KubectlError(`error: the lab's kubectl renders only OpenAPI v3; use --output=${PLAINTEXT}`);
}

export async function runExplain(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length === 0) throw new KubectlError('error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
  if (args.length > 1) throw new KubectlError('error: We accept only this format: explain RESOURCE');
  const arg = args[0] ?? '';
  const apiVersion = flags.string('api-version');
  const recursive = flags.bool('recursive');
  const format = flags.string('output');
  const mapper = await f.mapper();
  const { gvr, fieldPath } = apiVersion ? split(mapper, arg) : splitWithMatchingPrefix(mapper, arg);
  if (format === PLAINTEXT_OPENAPIV2) return renderOpenApiV2(f, apiVersion);
  let paths: Record<string, string>;
  try {
    paths = await openApiPaths(f);
  } catch (e) {
    if (format === PLAINTEXT) return renderOpenApiV2(f, apiVersion);
    throw new KubectlError(`error: failed to fetch list of groupVersions: ${statusMessage(e)}`);
  }
  if (apiVersion) Object.assign(gvr, parseGroupVersion(apiVersion));
  await printModelDescription(f, paths, gvr, fieldPath, recursive, format);
  return EXIT.ok;
}
