/**
 * kubectl config (k8s.io/kubectl/pkg/cmd/config) over the lab's kubeconfig file: `view` (with --minify,
 * -o json|yaml|jsonpath), `current-context`, `get-contexts` (the CURRENT/NAME/CLUSTER/AUTHINFO/NAMESPACE
 * table, -o name), `use-context NAME`, `set-context [NAME|--current] --namespace|--cluster|--user`,
 * `set-credentials NAME --token=T`. Left out: --raw certificate data (the lab's kubeconfig has none),
 * set-credentials' certificate, basic-auth, auth-provider and exec flags, set-cluster, unset,
 * delete-context, rename-context, --flatten.
 */
import { EXIT } from '../../../command.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { PRINT_FORMATS, jsonPathPrinter, parseOutputFormat, printJson, printJsonPath, printYaml, tabwrite } from '../printers/index.ts';

export function runConfigView(f: Factory, flags: ParsedFlags): Promise<number> {
  const file = f.kubeconfig();
  let config = file.config;
  if (flags.bool('minify')) {
    const context = file.context(f.contextName());
    if (!context) throw new KubectlError(`error: current-context must exist in order to minify`);
    config = {
      ...config,
      'current-context': context.name,
      contexts: [context],
      clusters: config.clusters.filter((c) => c.name === context.context.cluster),
      users: config.users.filter((u) => u.name === context.context.user),
    };
  }
  const format = parseOutputFormat(flags.string('output') || 'yaml', PRINT_FORMATS);
  if (format.kind === 'json') f.ctx.stdout(printJson(config));
  else if (format.kind === 'jsonpath') f.ctx.stdout(printJsonPath(jsonPathPrinter(format.template, { outputJson: format.asJson }), config));
  else f.ctx.stdout(printYaml(config));
  return Promise.resolve(EXIT.ok);
}

export function runConfigCurrentContext(f: Factory): Promise<number> {
  const current = f.kubeconfig().config['current-context'];
  if (!current) throw new KubectlError('error: current-context is not set');
  f.ctx.stdout(`${current}\n`);
  return Promise.resolve(EXIT.ok);
}

export function runConfigGetContexts(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const file = f.kubeconfig();
  const contexts = args.length ? file.config.contexts.filter((c) => args.includes(c.name)) : file.config.contexts;
  for (const name of args) if (!contexts.some((c) => c.name === name)) throw new KubectlError(`error: context ${name} not found`);
  if (flags.string('output') === 'name') {
    f.ctx.stdout(contexts.map((c) => `${c.name}\n`).join(''));
    return Promise.resolve(EXIT.ok);
  }
  const current = file.config['current-context'];
  const rows = flags.bool('no-headers') ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
  for (const c of [...contexts].sort((a, b) => (a.name < b.name ? -1 : 1))) rows.push([c.name === current ? '*' : '', c.name, c.context.cluster ?? '', c.context.user ?? '', c.context.namespace ?? '']);
  f.ctx.stdout(tabwrite(rows.map((r) => `${r.join('\t')}\n`).join('')));
  return Promise.resolve(EXIT.ok);
}

export function runConfigUseContext(f: Factory, _flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length !== 1) throw new KubectlError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl config use-context -h' for help and examples`);
  const name = args[0] ?? '';
  const file = f.kubeconfig();
  if (!file.context(name)) throw new KubectlError(`error: no context exists with the name: "${name}"`);
  file.config['current-context'] = name;
  file.save();
  f.ctx.stdout(`Switched to context "${name}".\n`);
  return Promise.resolve(EXIT.ok);
}

export function runConfigSetContext(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const file = f.kubeconfig();
  const current = flags.bool('current');
  if (current && args.length > 0) throw new KubectlError('error: you cannot specify both a context name and --current');
  const name = current ? file.config['current-context'] : (args[0] ?? '');
  if (!name) throw new KubectlError(current ? 'error: no current context is set' : `error: Unexpected args: []\nSee 'kubectl config set-context -h' for help and examples`);
  let context = file.context(name);
  const existed = context !== undefined;
  if (!context) {
    context = { name, context: {} };
    file.config.contexts.push(context);
  }
  if (flags.changed('namespace')) context.context.namespace = flags.string('namespace');
  if (flags.changed('cluster')) context.context.cluster = flags.string('cluster');
  if (flags.changed('user')) context.context.user = flags.string('user');
  file.save();
  f.ctx.stdout(`Context "${name}" ${existed ? 'modified' : 'created'}.\n`);
  return Promise.resolve(EXIT.ok);
}

/** The set-credentials flags the lab leaves out: certificates, basic auth, auth providers, exec plugins. */
const CREDENTIAL_FLAGS_LEFT_OUT = ['client-certificate', 'client-key', 'embed-certs', 'username', 'password', 'auth-provider', 'auth-provider-arg', 'exec-command', 'exec-api-version', 'exec-arg', 'exec-env', 'exec-interactive-mode', 'exec-provide-cluster-info'];

export function runConfigSetCredentials(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length !== 1) throw new KubectlError(`error: Unexpected args: [${args.join(' ')}]\nSee 'kubectl config set-credentials -h' for help and examples`);
  const leftOut = CREDENTIAL_FLAGS_LEFT_OUT.find((name) => flags.changed(name));
  if (leftOut) throw new KubectlError(`error: the lab's kubeconfig keeps bearer tokens only: --${leftOut} is not supported`);
  const name = args[0] ?? '';
  const file = f.kubeconfig();
  let user = file.user(name);
  if (!user) {
    user = { name, user: {} };
    file.config.users.push(user);
  }
  if (flags.changed('token')) user.user.token = flags.string('token');
  file.save();
  f.ctx.stdout(`User "${name}" set.\n`);
  return Promise.resolve(EXIT.ok);
}
