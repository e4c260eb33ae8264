/**
 * `kubectl create ingress` (k8s.io/kubectl/pkg/cmd/create/create_ingress.go): `--rule
 * host/path=service:port[,tls[=secret]]` (a path ending in `*` is a Prefix path, any other Exact; rules
 * of one host share its rule), `--default-backend service:port`, `--class`, `--annotation key=value`.
 */
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { createObject, enforcedNamespace, failedToCreate, goMap, nameArg, objectMeta, type Obj } from './generator.ts';

const HOST_PATH_SVC = String.raw`^([\w*\-.]*)(/.*)=([\w\-]+):([\w\-]+)`;
const TLS = String.raw`(,tls=?([\w\-]+)?)`;
const RULE = new RegExp(`${HOST_PATH_SVC}${TLS}?$`);
const ANNOTATION = /^(.+)=(.+)$/;
const BACKEND = /^([\w-]+):([\w-]+)$/;

function backend(service: string, port: string): Obj {
  return { service: { name: service, port: /^[-+]?\d+$/.test(port) ? { number: Number(port) } : { name: port } } };
}

function rules(specs: readonly string[]): Obj[] | undefined {
  const out: Array<{ host: string; http: { paths: Obj[] } }> = [];
  for (const spec of specs) {
    const match = new RegExp(HOST_PATH_SVC).exec(spec.replace(new RegExp(TLS, 'g'), ''));
    if (!match) continue;
    const [, host = '', rawPath = '', service = '', port = ''] = match;
    const prefix = rawPath.endsWith('*');
    const path = { path: prefix ? rawPath.slice(0, -1) : rawPath, pathType: prefix ? 'Prefix' : 'Exact', backend: backend(service, port) };
    const existing = out.find((r) => r.host === host);
    if (existing) existing.http.paths.push(path);
    else out.push({ host, http: { paths: [path] } });
  }
  return out.length ? out.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: r.http })) : undefined;
}

function tlsRules(specs: readonly string[]): Obj[] | undefined {
  const out: Array<{ hosts?: string[]; secretName?: string }> = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const tls = /,tls=?([\w-]+)?$/.exec(spec);
    if (!tls) continue;
    const host = spec.split('/')[0] ?? '';
    const secret = tls[1] ?? '';
    if (seen.has(host)) continue;
    const same = out.find((t) => (t.secretName ?? '') === secret);
    seen.add(host);
    if (same) {
      (same.hosts ??= []).push(host);
      continue;
    }
    out.push({ ...(host ? { hosts: [host] } : {}), ...(secret ? { secretName: secret } : {}) });
  }
  return out.length ? out : undefined;
}

export async function runCreateIngress(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create ingress', args);
  const ruleSpecs = flags.all('rule');
  const annotations = flags.all('annotation');
  const defaultBackend = flags.string('default-backend');
  if (!defaultBackend && ruleSpecs.length === 0) {
    throw new KubectlError('error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)');
  }
  for (const rule of ruleSpecs) if (!RULE.test(rule)) throw new KubectlError(`error: rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  for (const a of annotations) if (!ANNOTATION.test(a)) throw new KubectlError(`error: annotation ${a} is invalid and should be in format key=[value]`);
  const backendMatch = defaultBackend ? BACKEND.exec(defaultBackend) : null;
  if (defaultBackend && !backendMatch) throw new KubectlError('error: default-backend should be in format servicename:serviceport');
  const ingress: Obj = {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    metadata: objectMeta({
      name,
      namespace: enforcedNamespace(f),
      annotations: goMap(annotations.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const)),
    }),
    spec: {
      ingressClassName: flags.string('class') || undefined,
      defaultBackend: backendMatch ? backend(backendMatch[1] ?? '', backendMatch[2] ?? '') : undefined,
      tls: tlsRules(ruleSpecs),
      rules: rules(ruleSpecs),
    },
    status: { loadBalancer: {} },
  };
  return createObject(f, flags, ingress, { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', namespaced: true }, { wrap: failedToCreate('ingress') });
}
