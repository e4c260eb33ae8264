/**
 * The kubeconfig kubectl reads (client-go's clientcmd): clusters, users, contexts and current-context in
 * `$KUBECONFIG` (its first path) or `~/.kube/config` in the shell's file system. When the file is missing
 * the lab writes the one kubeadm leaves an admin: cluster `kubernetes`, user `kubernetes-admin`, context
 * `kubernetes-admin@kubernetes`. A user's `token` is sent as its bearer token; the admin's client certificate
 * is not in the file (the lab's transport carries it). Left out: merging several files, certificates and exec
 * plugins, and `config set-cluster|unset|rename-context`.
 */
import { parse, stringify } from 'yaml';
import type { FileSystem } from '../../fs.ts';

export interface NamedCluster {
  name: string;
  cluster: { server?: string; [key: string]: unknown };
}

export interface NamedContext {
  name: string;
  context: { cluster?: string; user?: string; namespace?: string; [key: string]: unknown };
}

export interface NamedUser {
  name: string;
  user: Record<string, unknown>;
}

export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: NamedCluster[];
  contexts: NamedContext[];
  'current-context': string;
  preferences: Record<string, unknown>;
  users: NamedUser[];
}

/** The kubeconfig kubeadm writes for the admin of the lab's cluster at `server`. */
export function defaultKubeconfig(server: string): Kubeconfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubernetes', cluster: { server } }],
    contexts: [{ name: 'kubernetes-admin@kubernetes', context: { cluster: 'kubernetes', user: 'kubernetes-admin' } }],
    'current-context': 'kubernetes-admin@kubernetes',
    preferences: {},
    users: [{ name: 'kubernetes-admin', user: {} }],
  };
}

export class KubeconfigFile {
  constructor(
    private readonly fs: FileSystem,
    readonly path: string,
    readonly config: Kubeconfig,
  ) {}

  /** Read `path`, writing the default kubeconfig there first when it does not exist. */
  static load(fs: FileSystem, path: string, server: string): KubeconfigFile {
    if (!fs.stat(path)) {
      const config = defaultKubeconfig(server);
      const dir = path.slice(0, path.lastIndexOf('/')) || '/';
      fs.mkdir(dir, { recursive: true });
      const file = new KubeconfigFile(fs, path, config);
      file.save();
      return file;
    }
    const raw = (parse(fs.readFile(path)) ?? {}) as Partial<Kubeconfig>;
    return new KubeconfigFile(fs, path, {
      apiVersion: raw.apiVersion ?? 'v1',
      kind: raw.kind ?? 'Config',
      clusters: raw.clusters ?? [],
      contexts: raw.contexts ?? [],
      'current-context': raw['current-context'] ?? '',
      preferences: raw.preferences ?? {},
      users: raw.users ?? [],
    });
  }

  save(): void {
    this.fs.writeFile(this.path, stringify(this.config));
  }

  context(name = this.config['current-context']): NamedContext | undefined {
    return this.config.contexts.find((c) => c.name === name);
  }

  cluster(name: string | undefined): NamedCluster | undefined {
    return this.config.clusters.find((c) => c.name === name);
  }

  user(name: string | undefined): NamedUser | undefined {
    return this.config.users.find((u) => u.name === name);
  }
}
