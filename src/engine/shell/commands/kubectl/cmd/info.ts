/**
 * kubectl's informational commands: `version` (client and server; k8s.io/kubectl/pkg/cmd/version),
 * `api-versions`, `api-resources` (pkg/cmd/apiresources, with -o wide|name, --namespaced, --api-group,
 * --no-headers, --sort-by) and `cluster-info` (pkg/cmd/clusterinfo: the control plane and the
 * kube-system Services labelled kubernetes.io/cluster-service=true, in kubectl's colours).
 * Left out: version -o json|yaml, api-resources --verbs/--categories filters, cluster-info dump.
 */
import { EXIT } from '../../../command.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { tabwrite } from '../printers/index.ts';

/** The kubectl release the lab's client presents itself as. */
export const CLIENT_VERSION = 'v1.32.4';
const KUSTOMIZE_VERSION = 'v5.5.0';

export async function runVersion(f: Factory, flags: ParsedFlags): Promise<number> {
  let out = `Client Version: ${CLIENT_VERSION}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
  if (!flags.bool('client')) {
    const server = JSON.parse((await f.client().raw('GET', '/version')).body) as { gitVersion: string };
    out += `Server Version: ${server.gitVersion}\n`;
  }
  f.ctx.stdout(out);
  return EXIT.ok;
}

export async function runApiVersions(f: Factory): Promise<number> {
  const mapper = await f.mapper();
  const versions = mapper.groups.flatMap((g) => g.versions.map((v) => (g.name ? `${g.name}/${v}` : v))).sort();
  f.ctx.stdout(versions.map((v) => `${v}\n`).join(''));
  return EXIT.ok;
}

export async function runApiResources(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length > 0) throw new KubectlError(`error: unexpected arguments: [${args.join(' ')}]\nSee 'kubectl api-resources -h' for help and examples`);
  const mapper = await f.mapper();
  const output = flags.string('output');
  const group = flags.string('api-group');
  let resources = mapper.resources.filter((r) => r.preferred);
  if (flags.changed('api-group')) resources = resources.filter((r) => r.group === group);
  if (flags.changed('namespaced')) resources = resources.filter((r) => r.namespaced === flags.bool('namespaced'));
  const sortBy = flags.string('sort-by');
  if (sortBy === 'name') resources = [...resources].sort((a, b) => (a.resource < b.resource ? -1 : 1));
  else if (sortBy === 'kind') resources = [...resources].sort((a, b) => (a.kind < b.kind ? -1 : 1));
  if (output === 'name') {
    f.ctx.stdout(resources.map((r) => `${r.group ? `${r.resource}.${r.group}` : r.resource}\n`).join(''));
    return EXIT.ok;
  }
  const wide = output === 'wide';
  const rows: string[][] = flags.bool('no-headers') ? [] : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]];
  for (const r of resources) {
    rows.push([r.resource, r.shortNames.join(','), r.group ? `${r.group}/${r.version}` : r.version, String(r.namespaced), r.kind, ...(wide ? [`[${r.verbs.join(' ')}]`, r.categories.join(',')] : [])]);
  }
  f.ctx.stdout(tabwrite(rows.map((r) => `${r.join('\t')}\n`).join('')));
  return EXIT.ok;
}

export async function runClusterInfo(f: Factory): Promise<number> {
  const server = f.server();
  let out = `\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${server}\x1b[0m\n`;
  const services = JSON.parse((await f.client().raw('GET', '/api/v1/namespaces/kube-system/services', { labelSelector: 'kubernetes.io/cluster-service=true' })).body) as {
    items: Array<{ metadata: { name: string; labels?: Record<string, string> }; spec?: { ports?: Array<{ name?: string; port: number }> } }>;
  };
  for (const svc of services.items) {
    const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name;
    const port = svc.spec?.ports?.[0];
    const portName = port?.name ? `:${port.name}` : '';
    out += `\x1b[0;32m${name}\x1b[0m is running at \x1b[0;33m${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${portName ? `:${port?.name ?? ''}` : ''}/proxy\x1b[0m\n`;
  }
  out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  f.ctx.stdout(out);
  return EXIT.ok;
}
