import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from './requestInfo.ts';

describe('parseRequestInfo', () => {
  it.each([
    ['GET', '/api/v1/namespaces/default/pods', '', { verb: 'list', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', name: '', subresource: '' }],
    ['GET', '/api/v1/namespaces/default/pods/web', '', { verb: 'get', namespace: 'default', resource: 'pods', name: 'web' }],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=1', { verb: 'watch', resource: 'pods' }],
    ['GET', '/api/v1/namespaces/default/pods', 'watch=true&fieldSelector=metadata.name%3Dweb', { verb: 'watch', name: 'web' }],
    ['GET', '/api/v1/watch/namespaces/default/pods', '', { verb: 'watch', namespace: 'default', resource: 'pods' }],
    ['GET', '/api/v1/pods', '', { verb: 'list', namespace: '', resource: 'pods' }],
    ['POST', '/api/v1/namespaces/default/pods', '', { verb: 'create', resource: 'pods' }],
    ['PUT', '/apis/apps/v1/namespaces/d/deployments/w/scale', '', { verb: 'update', apiGroup: 'apps', resource: 'deployments', name: 'w', subresource: 'scale' }],
    ['PATCH', '/apis/apps/v1/namespaces/d/deployments/w', '', { verb: 'patch', name: 'w' }],
    ['DELETE', '/api/v1/namespaces/default/pods/web', '', { verb: 'delete', name: 'web' }],
    ['DELETE', '/api/v1/namespaces/default/pods', '', { verb: 'deletecollection' }],
    ['GET', '/api/v1/namespaces', '', { verb: 'list', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/foo', '', { verb: 'get', resource: 'namespaces', name: 'foo', namespace: 'foo' }],
    ['PUT', '/api/v1/namespaces/foo/finalize', '', { verb: 'update', resource: 'namespaces', name: 'foo', subresource: 'finalize' }],
    ['GET', '/api/v1/namespaces/foo/status', '', { verb: 'get', resource: 'namespaces', name: 'foo', subresource: 'status' }],
    ['POST', '/api/v1/namespaces/default/pods/web/binding', '', { verb: 'create', name: 'web', subresource: 'binding' }],
    ['GET', '/api/v1/namespaces/default/pods/web/log', '', { verb: 'get', subresource: 'log' }],
    ['GET', '/api/v1/nodes/node-1', '', { verb: 'get', resource: 'nodes', name: 'node-1', namespace: '' }],
  ])('%s %s?%s', (method, path, query, expected) => {
    const info = parseRequestInfo(method, path, new URLSearchParams(query));
    expect(info.isResourceRequest).toBe(true);
    expect(info).toMatchObject(expected);
  });

  it.each([
    ['GET', '/version', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/apis/apps', 'get'],
    ['GET', '/apis/apps/v1', 'get'],
    ['GET', '/openapi/v3', 'get'],
    ['POST', '/healthz', 'post'],
  ])('%s %s is a non-resource request', (method, path, verb) => {
    expect(parseRequestInfo(method, path, new URLSearchParams())).toMatchObject({ isResourceRequest: false, verb, path });
  });
});
