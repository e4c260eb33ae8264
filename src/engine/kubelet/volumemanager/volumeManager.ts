/**
 * The kubelet's volume manager for the volumes a pod brings with it (pkg/kubelet/volumemanager and the
 * in-tree plugins under pkg/volume): each volume set up under
 * /var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/<name> before the containers start, and
 * bind-mounted into them by the CRI.
 *   - emptyDir: a directory on the node's disk; medium Memory mounts a tmpfs there (sizeLimit as its size).
 *   - hostPath: the node's path itself, with the `type` checks (DirectoryOrCreate and FileOrCreate make it).
 *   - configMap, secret (on a tmpfs, as upstream keeps secrets off the disk), downwardAPI and projected
 *     (configMap, secret, downwardAPI and serviceAccountToken sources): files written as the AtomicWriter
 *     lays them out — the data in a `..<timestamp>` directory, `..data` pointing at it, and each key a
 *     symlink through `..data`.
 * A serviceAccountToken source is a TokenRequest for the pod's service account (pkg/volume/projected and
 * pkg/kubelet/token): bound to the pod, for the source's audience (none: the apiserver's), with its
 * expirationSeconds (the ServiceAccount admission plugin writes 3607). Tokens are kept per pod and asked
 * for again once 80% of their lifetime, or 24 hours, has passed — when the volume is next set up.
 * A missing ConfigMap or Secret (not optional) or key fails the set-up with upstream's text, which the
 * kubelet reports as a FailedMount event: `MountVolume.SetUp failed for volume "cfg" : configmap "cfg" not found`.
 *
 * Left out: clusterTrustBundle sources, PVCs and CSI, items' per-file modes beyond defaultMode, and
 * refreshing the files when the ConfigMap changes.
 */
import type { TokenRequest } from 'kubernetes-types/authentication/v1';
import type { ConfigMap, DownwardAPIVolumeFile, KeyToPath, Pod, Secret, ServiceAccountTokenProjection, Volume, VolumeProjection } from 'kubernetes-types/core/v1';
import { asStatusError } from '../../api/errors.ts';
import { decodeBase64 } from '../../base/base64.ts';
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { resourcePath, type RestClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { KernelError } from '../../kernel/errno.ts';
import { isDir, isRegular } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { removeAll } from '../../runtime/snapshots/archive/removeAll.ts';
import { scaledAmount } from '../../scheduler/framework/resource.ts';
import { podFieldValue, resourceFieldValue } from '../kuberuntime/envVars.ts';

/** The kubelet's root directory (--root-dir). */
export const KUBELET_ROOT = '/var/lib/kubelet';

/** A volume that could not be set up: its name and upstream's error text. */
export class VolumeError extends Error {
  override name = 'VolumeError';
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(message);
  }
}

/** How the volume manager reads ConfigMaps and Secrets (the kubelet's watch-based managers). */
export interface ObjectGetter {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** Create a TokenRequest for a service account (the kubelet's token manager); rejects with the apiserver's error. */
  serviceAccountToken(namespace: string, name: string, request: TokenRequest): Promise<TokenRequest>;
}

/** ObjectGetter.serviceAccountToken over a client: POST serviceaccounts/<name>/token. */
export function tokenRequester(client: RestClient): ObjectGetter['serviceAccountToken'] {
  return async (namespace, name, request) => {
    const response = await client.raw('POST', resourcePath(RESOURCES.serviceaccounts, namespace, name, 'token'), {}, JSON.stringify(request));
    return JSON.parse(response.body) as TokenRequest;
  };
}

/** A token the manager holds: when it was asked for and when it expires (ms). */
interface CachedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** pkg/kubelet/token's maxTTL: a token older than this is renewed whatever its expiry. */
const TOKEN_MAX_TTL_MS = 24 * 3600_000;

/** The plugin directory names (kubernetes.io~<name>). */
function pluginOf(v: Volume): string | undefined {
  if (v.emptyDir) return 'empty-dir';
  if (v.configMap) return 'configmap';
  if (v.secret) return 'secret';
  if (v.downwardAPI) return 'downward-api';
  if (v.projected) return 'projected';
  return undefined;
}

export function podDir(uid: string): string {
  return `${KUBELET_ROOT}/pods/${uid}`;
}

export function secretText(data: string): string {
  return new TextDecoder().decode(decodeBase64(data) ?? new Uint8Array());
}

export class VolumeManager {
  /** The volume directories with a tmpfs on them. */
  private readonly mounted = new Set<string>();
  /** Service-account tokens by pod uid, then by what was asked for. */
  private readonly tokens = new Map<string, Map<string, CachedToken>>();

  constructor(
    private readonly vfs: Vfs,
    private readonly clock: Clock,
    private readonly rng: SeededRng,
    private readonly objects: ObjectGetter,
  ) {}

  /** Set up every volume of the pod: volume name → the host path the containers bind. */
  async setUp(pod: Pod, allocatable: { cpuMilli: number; memoryBytes: number }): Promise<Map<string, string>> {
    const uid = pod.metadata?.uid ?? '';
    const out = new Map<string, string>();
    this.vfs.mkdirAll(`${podDir(uid)}/volumes`, 0o750);
    this.vfs.mkdirAll(`${podDir(uid)}/plugins`, 0o750);
    this.vfs.mkdirAll(`${podDir(uid)}/containers`, 0o750);
    for (const v of pod.spec?.volumes ?? []) {
      if (v.hostPath) {
        out.set(v.name, this.hostPath(v.name, v.hostPath.path, v.hostPath.type ?? ''));
        continue;
      }
      const plugin = pluginOf(v);
      if (!plugin) continue;
      const dir = `${podDir(uid)}/volumes/kubernetes.io~${plugin}/${v.name}`;
      out.set(v.name, dir);
      if (this.exists(dir) && plugin !== 'configmap' && plugin !== 'secret' && plugin !== 'projected') continue;
      if (v.emptyDir) {
        this.vfs.mkdirAll(dir, 0o777);
        if (v.emptyDir.medium === 'Memory' && !this.isMountpoint(dir)) {
          const size = v.emptyDir.sizeLimit ? scaledAmount('memory', v.emptyDir.sizeLimit) : allocatable.memoryBytes;
          this.mountTmpfs(dir, Number(size));
        }
        continue;
      }
      const files = await this.filesOf(pod, v, allocatable);
      if (files === undefined) continue;
      this.vfs.mkdirAll(dir, 0o755);
      if (v.secret && !this.isMountpoint(dir)) this.mountTmpfs(dir, allocatable.memoryBytes);
      const mode = v.configMap?.defaultMode ?? v.secret?.defaultMode ?? v.downwardAPI?.defaultMode ?? v.projected?.defaultMode ?? 0o644;
      this.atomicWrite(dir, files, mode);
    }
    return out;
  }

  /** Tear the pod's volumes down: unmount the tmpfs ones and remove the pod's directory. */
  tearDown(uid: string): void {
    const base = `${podDir(uid)}/volumes`;
    for (const plugin of this.list(base)) {
      for (const name of this.list(`${base}/${plugin}`)) {
        const dir = `${base}/${plugin}/${name}`;
        if (this.isMountpoint(dir)) {
          this.vfs.umount(dir, { detach: true });
          this.mounted.delete(dir);
        }
      }
    }
    removeAll(this.vfs, podDir(uid));
    this.tokens.delete(uid);
  }

  private list(dir: string): string[] {
    try {
      return this.vfs.readdir(dir).map((e) => e.name);
    } catch (error) {
      if (error instanceof KernelError) return [];
      throw error;
    }
  }

  private exists(path: string): boolean {
    try {
      this.vfs.lstat(path);
      return true;
    } catch (error) {
      if (error instanceof KernelError) return false;
      throw error;
    }
  }

  private isMountpoint(path: string): boolean {
    return this.mounted.has(path);
  }

  private mountTmpfs(dir: string, sizeBytes: number): void {
    this.vfs.mount('tmpfs', dir, 'tmpfs', 0, `size=${Math.floor(sizeBytes / 1024)}k`);
    this.mounted.add(dir);
  }

  private hostPath(volume: string, path: string, type: string): string {
    const fail = (what: string) => new VolumeError(volume, `hostPath type check failed: ${path} is not ${what}`);
    let mode: number | undefined;
    try {
      mode = this.vfs.stat(path).mode;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    switch (type) {
      case 'DirectoryOrCreate':
        if (mode === undefined) this.vfs.mkdirAll(path, 0o755);
        else if (!isDir(mode)) throw fail('a directory');
        break;
      case 'Directory':
        if (mode === undefined || !isDir(mode)) throw fail('a directory');
        break;
      case 'FileOrCreate':
        if (mode === undefined) this.vfs.writeFile(path, '', { mode: 0o644 });
        else if (!isRegular(mode)) throw fail('a file');
        break;
      case 'File':
        if (mode === undefined || !isRegular(mode)) throw fail('a file');
        break;
      default:
        break;
    }
    return path;
  }

  /** The files of a configMap/secret/downwardAPI/projected volume, or an error naming what is missing. */
  private async filesOf(pod: Pod, v: Volume, allocatable: { cpuMilli: number; memoryBytes: number }): Promise<Map<string, string> | undefined> {
    const ns = pod.metadata?.namespace ?? 'default';
    const files = new Map<string, string>();
    const configMap = async (name: string, items: readonly KeyToPath[] | undefined, optional: boolean | undefined) => {
      const cm = await this.objects.configMap(ns, name);
      if (!cm) {
        if (optional) return;
        throw new VolumeError(v.name, `configmap "${name}" not found`);
      }
      const data: Record<string, string> = { ...cm.data, ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, b]) => [k, secretText(b)])) };
      this.project(v.name, data, items, optional, files, `configmap references non-existent config key: `);
    };
    const secret = async (name: string, items: readonly KeyToPath[] | undefined, optional: boolean | undefined) => {
      const s = await this.objects.secret(ns, name);
      if (!s) {
        if (optional) return;
        throw new VolumeError(v.name, `secret "${name}" not found`);
      }
      const data = Object.fromEntries(Object.entries(s.data ?? {}).map(([k, b]) => [k, secretText(b)]));
      this.project(v.name, data, items, optional, files, `references non-existent secret key: `);
    };
    const downward = (items: readonly DownwardAPIVolumeFile[] | undefined) => {
      for (const item of items ?? []) {
        if (item.fieldRef) files.set(item.path, podFieldValue(pod, item.fieldRef.fieldPath, true));
        else if (item.resourceFieldRef) {
          const container = pod.spec?.containers.find((c) => c.name === item.resourceFieldRef?.containerName) ?? pod.spec?.containers[0];
          if (container) files.set(item.path, resourceFieldValue(item.resourceFieldRef.resource, container, item.resourceFieldRef.divisor, allocatable));
        }
      }
    };
    if (v.configMap) await configMap(v.configMap.name ?? '', v.configMap.items, v.configMap.optional);
    else if (v.secret) await secret(v.secret.secretName ?? '', v.secret.items, v.secret.optional);
    else if (v.downwardAPI) downward(v.downwardAPI.items);
    else if (v.projected) {
      for (const source of v.projected.sources ?? ([] as VolumeProjection[])) {
        if (source.configMap) await configMap(source.configMap.name ?? '', source.configMap.items, source.configMap.optional);
        else if (source.secret) await secret(source.secret.name ?? '', source.secret.items, source.secret.optional);
        else if (source.downwardAPI) downward(source.downwardAPI.items);
        else if (source.serviceAccountToken) files.set(source.serviceAccountToken.path, await this.serviceAccountToken(pod, v.name, source.serviceAccountToken));
      }
    } else return undefined;
    return files;
  }

  /** The pod's token for a serviceAccountToken source: the one held while it is fresh, else a new TokenRequest. */
  private async serviceAccountToken(pod: Pod, volume: string, source: ServiceAccountTokenProjection): Promise<string> {
    const uid = pod.metadata?.uid ?? '';
    const audiences = source.audience ? [source.audience] : [];
    const expirationSeconds = source.expirationSeconds ?? 3600;
    const key = `${audiences.join(',')}/${expirationSeconds}`;
    const now = this.clock.now();
    const held = this.tokens.get(uid)?.get(key);
    if (held && now < held.issuedAt + 0.8 * (held.expiresAt - held.issuedAt) && now < held.issuedAt + TOKEN_MAX_TTL_MS) return held.token;
    const request: TokenRequest = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences, expirationSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid } },
    };
    let answer: TokenRequest;
    try {
      answer = await this.objects.serviceAccountToken(pod.metadata?.namespace ?? 'default', pod.spec?.serviceAccountName ?? 'default', request);
    } catch (error) {
      const status = asStatusError(error);
      if (!status) throw error;
      throw new VolumeError(volume, `failed to fetch token: ${status.message}`);
    }
    const token = answer.status?.token ?? '';
    const expiresAt = Date.parse(answer.status?.expirationTimestamp ?? '') || now + expirationSeconds * 1000;
    let podTokens = this.tokens.get(uid);
    if (!podTokens) this.tokens.set(uid, (podTokens = new Map()));
    podTokens.set(key, { token, issuedAt: now, expiresAt });
    return token;
  }

  private project(volume: string, data: Record<string, string>, items: readonly KeyToPath[] | undefined, optional: boolean | undefined, files: Map<string, string>, missingPrefix: string): void {
    if (!items?.length) {
      for (const [k, value] of Object.entries(data)) files.set(k, value);
      return;
    }
    for (const item of items) {
      const value = data[item.key];
      if (value === undefined) {
        if (optional) continue;
        throw new VolumeError(volume, `${missingPrefix}${item.key}`);
      }
      files.set(item.path, value);
    }
  }

  /** AtomicWriter.Write: a fresh `..<timestamp>` directory, `..data` swapped to it, user-visible symlinks. */
  private atomicWrite(dir: string, files: Map<string, string>, mode: number): void {
    const stamp = new Date(this.clock.now()).toISOString().replace(/[-T:]/g, '_').replace(/\.\d+Z$/, '');
    const tsDir = `..${stamp}.${this.rng.string('0123456789', 9)}`;
    const old = this.exists(`${dir}/..data`) ? this.vfs.readlink(`${dir}/..data`) : undefined;
    this.vfs.mkdirAll(`${dir}/${tsDir}`, 0o755);
    for (const [path, content] of files) {
      const full = `${dir}/${tsDir}/${path}`;
      this.vfs.mkdirAll(full.slice(0, full.lastIndexOf('/')), 0o755);
      this.vfs.writeFile(full, content, { mode });
    }
    this.vfs.symlink(tsDir, `${dir}/..data_tmp`);
    this.vfs.rename(`${dir}/..data_tmp`, `${dir}/..data`);
    for (const path of files.keys()) {
      const top = path.split('/')[0]!;
      if (!this.exists(`${dir}/${top}`)) this.vfs.symlink(`..data/${top}`, `${dir}/${top}`);
    }
    if (old) removeAll(this.vfs, `${dir}/${old}`);
  }
}
