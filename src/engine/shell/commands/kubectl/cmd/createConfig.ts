/**
 * `kubectl create configmap` and `create secret generic|tls|docker-registry`
 * (k8s.io/kubectl/pkg/cmd/create/create_configmap.go, create_secret.go, create_secret_tls.go,
 * create_secret_docker.go): data from `--from-literal`, `--from-file=[key=]path` (a directory adds each
 * of its files) and `--from-env-file`, read from the lab's files; secrets base64 their values.
 *
 * Left out: `--append-hash`; binary file contents (`binaryData`; the lab's files are text); `create
 * secret tls` checks only that both files hold PEM data, not that the key matches the certificate; an
 * env file's bare `KEY` reads an empty value (the lab's kubectl has no process environment).
 */
import { encodeBase64Text } from '../../../../base/base64.ts';
import { FsError } from '../../../fs.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { marshalJson } from '../printers/index.ts';
import { createObject, enforcedNamespace, goMap, nameArg, objectMeta, type Obj } from './generator.ts';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const SECRETS = { group: '', version: 'v1', resource: 'secrets', namespaced: true };

function readFile(f: Factory, path: string): string {
  try {
    return f.ctx.fs.readFile(f.ctx.fs.resolve(path, f.cwd));
  } catch (e) {
    if (e instanceof FsError) throw new KubectlError(`error: error reading ${path}: ${e.describe.toLowerCase()}`);
    throw e;
  }
}

/** The key/value pairs of --from-literal, --from-file and --from-env-file, in the order kubectl adds them. */
function dataSources(f: Factory, flags: ParsedFlags, kind: 'ConfigMap' | 'Secret', name: string): Map<string, string> {
  const literals = flags.all('from-literal');
  const files = flags.list('from-file');
  const envFiles = flags.list('from-env-file');
  if (envFiles.length && (files.length || literals.length)) throw new KubectlError('error: from-env-file cannot be combined with from-file or from-literal');
  const data = new Map<string, string>();
  const add = (key: string, value: string) => {
    if (data.has(key)) throw new KubectlError(`error: cannot add key "${key}", another key by that name already exists in ${kind === 'ConfigMap' ? 'Data for ConfigMap' : 'data for Secret'} "${name}"`);
    data.set(key, value);
  };
  for (const source of files) {
    const eq = source.indexOf('=');
    const key = eq < 0 ? '' : source.slice(0, eq);
    const path = eq < 0 ? source : source.slice(eq + 1);
    if (eq >= 0 && (key === '' || path === '')) throw new KubectlError(`error: invalid file source ${source}`);
    const full = f.ctx.fs.resolve(path, f.cwd);
    const stat = f.ctx.fs.stat(full);
    if (!stat) throw new KubectlError(`error: error reading ${path}: no such file or directory`);
    if (stat.type === 'dir') {
      if (key) throw new KubectlError('error: cannot give a key name for a directory path');
      for (const entry of f.ctx.fs.readdir(full)) {
        const child = `${full}/${entry}`;
        if (f.ctx.fs.stat(child)?.type === 'file') add(entry, f.ctx.fs.readFile(child));
      }
      continue;
    }
    add(key || (path.split('/').pop() ?? path), readFile(f, path));
  }
  for (const literal of literals) {
    const eq = literal.indexOf('=');
    if (eq < 0) throw new KubectlError(`error: invalid literal source ${literal}, expected key=value`);
    add(literal.slice(0, eq), literal.slice(eq + 1));
  }
  for (const envFile of envFiles) {
    for (const raw of readFile(f, envFile).replace(/^\uFEFF/, '').split('\n')) {
      const line = raw.replace(/^\s+/, '');
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
        throw new KubectlError(`error: "${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnv1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`);
      }
      add(key, eq < 0 ? '' : line.slice(eq + 1));
    }
  }
  return data;
}

export async function runCreateConfigMap(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create configmap', args);
  const data = dataSources(f, flags, 'ConfigMap', name);
  const configMap: Obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: objectMeta({ name, namespace: enforcedNamespace(f) }), data: goMap(data) };
  return createObject(f, flags, configMap, CONFIGMAPS, { wrap: (m) => `failed to create configmap: ${m}` });
}

function secret(f: Factory, name: string, data: Map<string, string>, type: string): Obj {
  const encoded = goMap([...data].map(([k, v]) => [k, encodeBase64Text(v)] as const));
  return { kind: 'Secret', apiVersion: 'v1', metadata: objectMeta({ name, namespace: enforcedNamespace(f) }), data: encoded, type: type || undefined };
}

const wrapSecret = (m: string) => `failed to create secret ${m}`;

export async function runCreateSecretGeneric(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create secret generic', args);
  const data = dataSources(f, flags, 'Secret', name);
  return createObject(f, flags, secret(f, name, data, flags.string('type')), SECRETS, { wrap: wrapSecret });
}

export async function runCreateSecretTls(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create secret tls', args);
  const certPath = flags.string('cert');
  const keyPath = flags.string('key');
  if (!certPath || !keyPath) throw new KubectlError('error: key and cert must be specified');
  const cert = readFile(f, certPath);
  const key = readFile(f, keyPath);
  if (!/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(cert)) throw new KubectlError('error: tls: failed to find any PEM data in certificate input');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new KubectlError('error: tls: failed to find any PEM data in key input');
  const data = new Map([['tls.crt', cert], ['tls.key', key]]);
  return createObject(f, flags, secret(f, name, data, 'kubernetes.io/tls'), SECRETS, { wrap: wrapSecret });
}

export async function runCreateSecretDockerRegistry(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create secret docker-registry', args);
  const data = new Map<string, string>();
  if (flags.list('from-file').length === 0) {
    const username = flags.string('docker-username');
    const password = flags.string('docker-password');
    const server = flags.string('docker-server');
    if (!username || !password || !server) {
      throw new KubectlError('error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
    }
    const entry: Obj = { username, password, email: flags.string('docker-email') || undefined, auth: encodeBase64Text(`${username}:${password}`) };
    data.set('.dockerconfigjson', marshalJson({ auths: { [server]: entry } }, '', '', false));
  } else {
    for (const [k, v] of dataSources(f, flags, 'Secret', name)) data.set(k, v);
  }
  return createObject(f, flags, secret(f, name, data, 'kubernetes.io/dockerconfigjson'), SECRETS, { wrap: wrapSecret });
}
