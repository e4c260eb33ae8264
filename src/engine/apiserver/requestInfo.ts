/**
 * RequestInfo — what a request path and method mean to the apiserver (k8s.io/apiserver's
 * RequestInfoFactory): the verb RBAC checks (get, list, watch, create, update, patch, delete,
 * deletecollection), the API group and version, the namespace, resource, name and subresource.
 *
 *   GET    /api/v1/namespaces/default/pods              list pods in default
 *   GET    /api/v1/namespaces/default/pods?watch=1      watch
 *   GET    /api/v1/watch/namespaces/default/pods        watch (the legacy form)
 *   GET    /apis/apps/v1/deployments                    list across namespaces
 *   PUT    /apis/apps/v1/namespaces/d/deployments/w/scale   update, subresource scale
 *   DELETE /api/v1/namespaces/default/pods              deletecollection
 *   GET    /api/v1/namespaces/foo/status                get namespaces "foo", subresource status
 *
 * Anything else (/version, /api, /apis/apps, /openapi/v3…) is a non-resource request whose verb is
 * the lower-cased method.
 */

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path, for non-resource requests. */
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** Path segments after the resource prefix. */
  parts: string[];
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, rawPath: string, query: URLSearchParams): RequestInfo {
  const path = rawPath.replace(/\/+$/, '') || '/';
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  let parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  parts = parts.slice(1);
  info.apiPrefix = prefix;
  if (prefix === 'apis') {
    // /apis and /apis/<group> are discovery, not resources.
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  } else if (parts.length < 2) {
    return info;
  }
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);
  info.isResourceRequest = true;

  let verb = METHOD_VERBS[method.toUpperCase()];
  if (verb === undefined) verb = method.toLowerCase();
  if (parts[0] === 'watch') {
    verb = 'watch';
    parts = parts.slice(1);
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      // /namespaces/<ns>/<resource>… unless the third part is a namespace's own subresource.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (info.name === '' && verb === 'get') verb = 'list';
  if (info.name === '' && verb === 'delete') verb = 'deletecollection';
  if (verb === 'list' || verb === 'get') {
    const watch = query.get('watch');
    if (watch === 'true' || watch === '1') {
      // A watch of one object by name is a watch with a field selector (kubectl get pod x -w).
      verb = 'watch';
    }
  }
  if (verb === 'watch' && info.name === '') {
    const byName = /(?:^|,)metadata\.name==?([^,]+)/.exec(query.get('fieldSelector') ?? '');
    if (byName) info.name = byName[1]!;
  }
  info.verb = verb;
  return info;
}
