/**
 * kubectl's RESTMapper from discovery (client-go's DeferredDiscoveryRESTMapper over
 * restmapper.NewDiscoveryRESTMapper, plus kubectl's shortcut expander): GET /api, /api/v1, /apis and
 * /apis/<group>/<version> once per invocation, then a TYPE as a user types it (`pods`, `pod`, `po`, `Pod`,
 * `deployments.apps`, `deploy.v1.apps`) resolves to a resource of the server's preferred version, and a
 * Kind from a manifest (`apps/v1`, `Deployment`) to its resource. Categories (`all`) expand to their
 * members. Left out: the disk cache, aggregated discovery (v2) and CRD refresh on a miss.
 */
import type { RestClient } from '../../../client/rest/restClient.ts';
import { NoResourceMatchError } from './errors.ts';

export interface ApiResource {
  group: string;
  version: string;
  /** Plural name: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly string[];
  /** Whether this group/version is the group's preferred one. */
  preferred: boolean;
}

export interface ApiGroup {
  name: string;
  versions: string[];
  preferredVersion: string;
}

interface RawResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

/** `deployments.apps` when grouped, `pods` in the core group (GroupResource.String()). */
export function groupResource(r: Pick<ApiResource, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** `deployment.apps` / `pod`: how kubectl names a kind in its messages (the lower-cased GroupKind). */
export function kindName(r: Pick<ApiResource, 'group' | 'kind'>): string {
  const kind = r.kind.toLowerCase();
  return r.group ? `${kind}.${r.group}` : kind;
}

export class RestMapper {
  private constructor(
    readonly groups: readonly ApiGroup[],
    /** Every resource of every served version, core first, groups in discovery order. */
    readonly resources: readonly ApiResource[],
  ) {}

  static async discover(client: RestClient): Promise<RestMapper> {
    const json = async <T>(path: string): Promise<T> => JSON.parse((await client.raw('GET', path)).body) as T;
    const core = await json<{ versions: string[] }>('/api');
    const list = await json<{ groups: Array<{ name: string; versions: Array<{ version: string }>; preferredVersion?: { version: string } }> }>('/apis');
    const groups: ApiGroup[] = [{ name: '', versions: core.versions, preferredVersion: core.versions[0] ?? 'v1' }];
    for (const g of list.groups) groups.push({ name: g.name, versions: g.versions.map((v) => v.version), preferredVersion: g.preferredVersion?.version ?? g.versions[0]?.version ?? '' });
    const resources: ApiResource[] = [];
    for (const g of groups) {
      for (const version of g.versions) {
        const path = g.name ? `/apis/${g.name}/${version}` : `/api/${version}`;
        const rl = await json<{ resources: RawResource[] }>(path);
        for (const r of rl.resources) {
          if (r.name.includes('/')) continue;
          resources.push({
            group: g.name,
            version,
            resource: r.name,
            singular: r.singularName || r.kind.toLowerCase(),
            kind: r.kind,
            namespaced: r.namespaced,
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            preferred: version === g.preferredVersion,
          });
        }
      }
    }
    return new RestMapper(groups, resources);
  }

  /**
   * The resource a TYPE names: `resource[.version][.group]`, a singular, a short name or a kind, case
   * insensitive for kinds. Throws NoResourceMatchError as kubectl reports it.
   */
  resourceFor(type: string): ApiResource {
    const lower = type.toLowerCase();
    const candidates: Array<{ name: string; version: string; group: string }> = [{ name: lower, version: '', group: '' }];
    const dot = lower.indexOf('.');
    if (dot > 0) {
      const name = lower.slice(0, dot);
      const rest = lower.slice(dot + 1);
      candidates.push({ name, version: '', group: rest });
      const dot2 = rest.indexOf('.');
      if (dot2 > 0) candidates.push({ name, version: rest.slice(0, dot2), group: rest.slice(dot2 + 1) });
      else candidates.push({ name, version: rest, group: '' });
    }
    for (const c of candidates) {
      const found = this.match(c.name, c.group, c.version);
      if (found) return found;
    }
    const best = candidates.length > 1 ? candidates[1] : candidates[0];
    throw new NoResourceMatchError(best?.name ?? lower, best?.group ?? '');
  }

  private match(name: string, group: string, version: string): ApiResource | undefined {
    const inScope = this.resources.filter((r) => (group ? r.group === group : true) && (version ? r.version === version : r.preferred || this.onlyVersion(r)));
    if (group === '' && version === '' && name.includes('.')) return undefined;
    const exact = inScope.find((r) => r.resource === name) ?? inScope.find((r) => r.singular === name) ?? inScope.find((r) => r.shortNames.includes(name)) ?? inScope.find((r) => r.kind.toLowerCase() === name);
    return exact;
  }

  private onlyVersion(r: ApiResource): boolean {
    return !this.resources.some((o) => o.group === r.group && o.resource === r.resource && o.preferred);
  }

  /**
   * ResourcesFor of a bare resource name, as kubectl's shortcut expander over the discovery
   * PriorityRESTMapper answers it: every served version whose plural or singular is `name` (case
   * insensitive); a short name instead (`deploy`, case sensitive) expands to its resource and group first.
   * Groups in discovery order, each group's preferred version first. Throws NoResourceMatchError naming
   * `name` as given.
   */
  resourcesFor(name: string): ApiResource[] {
    if (!name) throw new Error('a resource must be present, got: /, Resource=');
    let resource = name;
    let group: string | undefined;
    if (!this.resources.some((r) => r.resource === name || r.singular === name)) {
      const short = this.resources.find((r) => r.shortNames.includes(name));
      if (short) ({ resource, group } = short);
    }
    const lower = resource.toLowerCase();
    const rank = (r: ApiResource) => this.groups.findIndex((g) => g.name === r.group) * 2 + (r.preferred ? 0 : 1);
    const found = this.resources.filter((r) => (group === undefined || r.group === group) && (r.resource === lower || r.singular === lower));
    if (found.length === 0) throw new NoResourceMatchError(name);
    return found.sort((a, b) => rank(a) - rank(b));
  }

  /** The resource for a manifest's apiVersion and kind. */
  resourceForKind(apiVersion: string, kind: string): ApiResource {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const found = this.resources.find((r) => r.group === group && r.version === version && r.kind === kind);
    if (!found) throw new KindMatchError(group, version, kind);
    return found;
  }

  /** The members of a category (`all`), preferred versions only, in discovery order. */
  category(name: string): ApiResource[] | undefined {
    const members = this.resources.filter((r) => r.preferred && r.categories.includes(name));
    return members.length ? members : undefined;
  }
}

/** A manifest's kind the server does not serve (meta.NoKindMatchError). */
export class KindMatchError extends Error {
  constructor(
    readonly group: string,
    readonly version: string,
    readonly kind: string,
  ) {
    super(`no matches for kind "${kind}" in version "${group ? `${group}/` : ''}${version}"`);
  }
}
