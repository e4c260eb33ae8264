/**
 * Discovery — how clients learn what the server serves (k8s.io/apiserver/pkg/endpoints/discovery):
 * `/api` (APIVersions), `/apis` (APIGroupList), `/apis/<group>` (APIGroup) and `/api/v1`,
 * `/apis/<group>/<version>` (APIResourceList with each resource's verbs, short names, categories and
 * subresources). kubectl's `api-resources`, `api-versions` and its short names all come from here. The
 * aggregated form (apidiscovery.k8s.io/v2) is not served; kubectl falls back to these documents.
 */

/** One resource as discovery lists it. */
export interface DiscoveryResource {
  group: string;
  version: string;
  kind: string;
  /** Plural name, e.g. "deployments". */
  resource: string;
  singular: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Subresources with the verbs each allows (status: get, patch, update). */
  subresources?: ReadonlyArray<{ name: string; kind?: string; group?: string; version?: string; verbs: readonly string[] }>;
}

/** The address the server advertises to clients (kubeadm: the control plane node's IP and 6443). */
export interface DiscoveryOptions {
  serverAddress: string;
}

export class Discovery {
  private readonly byGroupVersion = new Map<string, DiscoveryResource[]>();
  /** Groups in the order upstream lists them (legacy core first, then by priority, then name). */
  private readonly groups: string[] = [];

  constructor(
    resources: readonly DiscoveryResource[],
    private readonly options: DiscoveryOptions,
  ) {
    this.add(resources);
  }

  /** Serve `resources` too (an APIService becoming available); their group is listed after the built-in ones. */
  add(resources: readonly DiscoveryResource[]): void {
    for (const r of resources) {
      const gv = groupVersion(r.group, r.version);
      if (!this.byGroupVersion.has(gv)) this.byGroupVersion.set(gv, []);
      this.byGroupVersion.get(gv)!.push(r);
      if (r.group && !this.groups.includes(r.group)) this.groups.push(r.group);
    }
  }

  /** Stop serving a group version (its APIService went away); the group goes when it has no version left. */
  remove(group: string, version: string): void {
    this.byGroupVersion.delete(groupVersion(group, version));
    if (group && this.versionsOf(group).length === 0) this.groups.splice(this.groups.indexOf(group), 1);
  }

  /** The discovery document at `path`, as JSON, or undefined when `path` is not a discovery path. */
  document(path: string): string | undefined {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api') {
      if (parts.length === 1) return JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: this.addresses() });
      if (parts.length === 2) return this.resourceList('', parts[1]!);
      return undefined;
    }
    if (parts[0] !== 'apis') return undefined;
    if (parts.length === 1) return JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups.map((g) => this.group(g)) });
    if (parts.length === 2) return this.groups.includes(parts[1]!) ? JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...this.group(parts[1]!) }) : undefined;
    if (parts.length === 3) return this.resourceList(parts[1]!, parts[2]!);
    return undefined;
  }

  private versionsOf(group: string): string[] {
    const versions: string[] = [];
    for (const gv of this.byGroupVersion.keys()) {
      const [g, v] = gv.includes('/') ? gv.split('/') : ['', gv];
      if (g === group && !versions.includes(v!)) versions.push(v!);
    }
    return versions;
  }

  private group(name: string): Record<string, unknown> {
    const versions = this.versionsOf(name).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions, preferredVersion: versions[0] };
  }

  private resourceList(group: string, version: string): string | undefined {
    const resources = this.byGroupVersion.get(groupVersion(group, version));
    if (!resources) return undefined;
    const list: Array<Record<string, unknown>> = [];
    for (const r of resources) {
      const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
      if (r.shortNames?.length) entry.shortNames = [...r.shortNames];
      if (r.categories?.length) entry.categories = [...r.categories];
      list.push(entry);
      for (const sub of r.subresources ?? []) {
        const s: Record<string, unknown> = { name: `${r.resource}/${sub.name}`, singularName: '', namespaced: r.namespaced };
        if (sub.group !== undefined) s.group = sub.group;
        if (sub.version !== undefined) s.version = sub.version;
        s.kind = sub.kind ?? r.kind;
        s.verbs = [...sub.verbs];
        list.push(s);
      }
    }
    // Sorted by full name, subresources included, as upstream lists them.
    list.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
    return JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources: list });
  }

  private addresses() {
    return [{ clientCIDR: '0.0.0.0/0', serverAddress: this.options.serverAddress }];
  }
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
