/**
 * LabImage — a whole lab as data: what autosave keeps and an exported lab file holds, and what a lab is
 * restored from (`Lab.save` / `Lab.load`).
 *
 * An image holds what a real lab keeps on disk across a power cut: the seed; the virtual clock (now,
 * speed, paused); the cluster as an etcd snapshot (etcd/snapshot.ts, the format `etcdctl snapshot save`
 * writes, with its CRC) plus the cluster's spec (which components run) and its machines (the lightweight
 * and full nodes it runs now, those added with `lab node add` too); the lab hosts' machines (docker-host's
 * cgroup version after `lab host reset`); and the student's files under /home/student and /tmp
 * (kubeconfig included: ~/.kube/config), with modes and modification times. Text is kept as JS strings
 * (any UTF-16 code units, so binary-safe through JSON and structured clone).
 *
 * What an image cannot hold is said, not hidden: the containers' processes and memory (restoring reboots
 * the nodes, whose kubelets start the pods bound to them afresh), open shells, docker-host's containers
 * and images. `unsaved` records what the saved lab had of those, for the LoadReport.
 *
 * Contract: an image is plain data (strings, numbers, booleans, arrays, plain objects; no bigint, no Map),
 * so `JSON.parse(JSON.stringify(image))` and structured clone give the same image. `parseLabImage` checks
 * an untrusted value completely (the etcd snapshot's checksum and shape included) and returns a fresh
 * copy, or throws a LabImageError naming the field: `lab image: files[2].path: /etc/passwd is outside
 * /home/student and /tmp`. Images of older versions are migrated (MIGRATIONS); newer ones are refused.
 */
import { SnapshotError, decodeSnapshot } from '../etcd/snapshot.ts';
import type { LightweightNodeSpec } from '../kwok/kwok.ts';
import { normalizePath, type MemoryFileSystem } from '../shell/fs.ts';
import type { ClusterSpec, FullNodeSpec } from './cluster.ts';

/** What the `format` field of every lab image says. */
export const LAB_IMAGE_FORMAT = 'kubelab-lab';
/** The version this Kubelab writes; older ones are migrated on load. */
export const LAB_IMAGE_VERSION = 1;
/** The directories of the student's files an image holds. */
export const LAB_FILE_ROOTS = ['/home/student', '/tmp'] as const;

export interface LabImage {
  format: typeof LAB_IMAGE_FORMAT;
  version: typeof LAB_IMAGE_VERSION;
  seed: number;
  clock: { now: number; speed: number; paused: boolean };
  cluster: ClusterImage;
  /** Each lab host's machine, by hostname. */
  hosts: Record<string, LabHostImage>;
  /** /home/student and /tmp and everything in them, parents before children. */
  files: FileImage[];
  /** What the saved lab had that an image cannot hold (said again when it is loaded). */
  unsaved: { sessions: number; dockerContainers: number; dockerImages: number };
}

export interface ClusterImage {
  /** The lab's cluster spec: which components run, what `lab reset` boots (its own nodes included). */
  spec: ClusterSpec;
  /** The lightweight nodes the cluster runs now. */
  nodes: LightweightNodeSpec[];
  /** The full nodes the cluster runs now. */
  fullNodes: FullNodeSpec[];
  /** `etcdctl snapshot save`'s file: keys, history, revision, compaction, leases. */
  etcd: string;
}

export interface LabHostImage {
  cpus: number;
  memoryBytes: number;
  cgroupVersion: 1 | 2;
}

export interface FileImage {
  path: string;
  type: 'file' | 'dir';
  /** Permission bits, 0 to 0o7777. */
  mode: number;
  mtimeMs: number;
  /** A file's content (files only). */
  data?: string;
}

/** What restoring could not bring back, as sentences for the student ("2 shell sessions"). */
export interface LoadReport {
  lost: string[];
}

export class LabImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabImageError';
  }
}

/**
 * Migrations of older images, by the version they start from: MIGRATIONS[v] turns a version-v image
 * into a version v+1 one. Version 1 is the first; the table grows with the format.
 */
const MIGRATIONS: Readonly<Record<number, (image: Record<string, unknown>) => Record<string, unknown>>> = {};

function fail(field: string, problem: string): never {
  throw new LabImageError(`lab image: ${field}: ${problem}`);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value)}`;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, `expected an object, got ${show(value)}`);
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, `expected an array, got ${show(value)}`);
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, `expected a string, got ${show(value)}`);
  return value;
}

function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, `expected true or false, got ${show(value)}`);
  return value;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `expected a number, got ${show(value)}`);
  return value;
}

function integer(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(field, `expected an integer from ${min} to ${max}, got ${show(value)}`);
  return value;
}

/** The optional fields of `source` that are present, each checked by its function. */
function optional<T>(source: Record<string, unknown>, field: string, checks: { [K in keyof T]: (value: unknown, field: string) => T[K] }): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(checks) as Array<keyof T & string>) {
    if (source[key] !== undefined) out[key] = checks[key](source[key], `${field}.${key}`);
  }
  return out;
}

function stringRecord(value: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(object(value, field))) out[k] = string(v, `${field}.${k}`);
  return out;
}

/** Plain JSON data (what static pod manifests are), copied. */
function json(value: unknown, field: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return finite(value, field);
  if (Array.isArray(value)) return value.map((v, i) => json(v, `${field}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object(value, field))) out[k] = json(v, `${field}.${k}`);
  return out;
}

type Taints = NonNullable<LightweightNodeSpec['taints']>;

function taints(value: unknown, field: string): Taints {
  return array(value, field).map((t, i) => {
    const f = `${field}[${i}]`;
    const o = object(t, f);
    return { key: string(o.key, `${f}.key`), effect: string(o.effect, `${f}.effect`), ...optional<{ value: string }>(o, f, { value: string }) };
  });
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function nodeName(value: unknown, field: string): string {
  const name = string(value, field);
  if (!NAME.test(name) || name.length > 253) fail(field, `${show(name)} is not a valid node name`);
  return name;
}

function address(value: unknown, field: string): string {
  const a = string(value, field);
  const m = IPV4.exec(a);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) fail(field, `${show(a)} is not an IPv4 address`);
  return a;
}

function cidr(value: unknown, field: string): string {
  const c = string(value, field);
  const m = CIDR.exec(c);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) fail(field, `${show(c)} is not an IPv4 CIDR`);
  return c;
}

function lightNode(value: unknown, field: string): LightweightNodeSpec {
  const o = object(value, field);
  return {
    name: nodeName(o.name, `${field}.name`),
    address: address(o.address, `${field}.address`),
    podCIDR: cidr(o.podCIDR, `${field}.podCIDR`),
    ...optional<Omit<LightweightNodeSpec, 'name' | 'address' | 'podCIDR'>>(o, field, {
      cpu: string,
      memory: string,
      pods: (v, f) => integer(v, f, 0),
      ephemeralStorage: string,
      labels: stringRecord,
      taints,
      controlPlane: boolean,
      staticPods: (v, f) => array(v, f).map((p, i) => object(json(p, `${f}[${i}]`), `${f}[${i}]`)),
    }),
  };
}

function fullNode(value: unknown, field: string): FullNodeSpec {
  const o = object(value, field);
  return {
    name: nodeName(o.name, `${field}.name`),
    address: address(o.address, `${field}.address`),
    podCIDR: cidr(o.podCIDR, `${field}.podCIDR`),
    ...optional<Omit<FullNodeSpec, 'name' | 'address' | 'podCIDR'>>(o, field, {
      labels: stringRecord,
      taints,
      controlPlane: boolean,
      cpus: (v, f) => integer(v, f, 1, 1024),
      memoryBytes: (v, f) => integer(v, f, 1),
      cgroupVersion: cgroupVersion,
      cgroupDriver: (v, f) => {
        if (v !== 'systemd' && v !== 'cgroupfs') fail(f, `expected "systemd" or "cgroupfs", got ${show(v)}`);
        return v;
      },
    }),
  };
}

/** Virtual time: ms since the Unix epoch, not before it. */
function timestamp(value: unknown, field: string): number {
  const ms = finite(value, field);
  if (ms < 0) fail(field, `expected a time after 1970, got ${ms}`);
  return ms;
}

function cgroupVersion(value: unknown, field: string): 1 | 2 {
  if (value !== 1 && value !== 2) fail(field, `expected 1 or 2, got ${show(value)}`);
  return value;
}

function clusterSpec(value: unknown, field: string): ClusterSpec {
  const o = object(value, field);
  return optional<ClusterSpec>(o, field, {
    nodes: (v, f) => array(v, f).map((n, i) => lightNode(n, `${f}[${i}]`)),
    fullNodes: (v, f) => array(v, f).map((n, i) => fullNode(n, `${f}[${i}]`)),
    controllers: (v, f) => (v === 'all' ? 'all' : array(v, f).map((c, i) => string(c, `${f}[${i}]`))),
    nodeDelays: (v, f) => {
      const out: Record<string, number> = {};
      for (const [k, d] of Object.entries(object(v, f))) out[k] = integer(d, `${f}.${k}`, 0);
      return out;
    },
    addons: boolean,
    scheduler: boolean,
    metricsServer: boolean,
  });
}

/** The snapshot's CRC and shape, as `etcdutl snapshot restore` checks it before restoring. */
function etcdSnapshot(value: unknown): string {
  const field = 'etcd snapshot';
  const snapshot = string(value, field);
  let state: ReturnType<typeof decodeSnapshot>;
  try {
    state = decodeSnapshot(snapshot);
  } catch (error) {
    if (error instanceof SnapshotError) fail(field, /hash mismatch/.test(error.message) ? 'checksum mismatch' : 'not an etcd snapshot');
    fail(field, `malformed (${error instanceof Error ? error.message : String(error)})`);
  }
  const rev = (v: unknown, f: string) => integer(v, `${field}: ${f}`, 0);
  const revision = rev(state.revision, 'revision');
  const compacted = rev(state.compactRevision, 'compact revision');
  if (compacted > revision) fail(field, `compact revision ${compacted} is past revision ${revision}`);
  for (const [key, versions] of state.keys) {
    if (typeof key !== 'string' || key === '') fail(field, `a key is ${show(key)}`);
    for (const kv of versions) {
      const f = `key ${key}`;
      rev(kv.createRevision, f);
      rev(kv.version, f);
      if (rev(kv.modRevision, f) > revision) fail(field, `key ${key} was written at revision ${kv.modRevision}, past the snapshot's ${revision}`);
      if (typeof kv.value !== 'string') fail(field, `key ${key} has a value that is not text`);
    }
  }
  for (const lease of state.leases) integer(lease.ttl, `${field}: lease ${lease.id.toString(16)} TTL`, 0);
  return snapshot;
}

function isUnderRoots(path: string): boolean {
  return LAB_FILE_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));
}

function files(value: unknown): FileImage[] {
  const out: FileImage[] = [];
  const types = new Map<string, 'file' | 'dir'>();
  array(value, 'files').forEach((entry, i) => {
    const f = `files[${i}]`;
    const o = object(entry, f);
    const path = string(o.path, `${f}.path`);
    if (normalizePath(path, '/') !== path) fail(`${f}.path`, `${show(path)} is not an absolute, normalised path`);
    if (!isUnderRoots(path)) fail(`${f}.path`, `${path} is outside ${LAB_FILE_ROOTS.join(' and ')}`);
    if (types.has(path)) fail(`${f}.path`, `${path} is listed twice`);
    const type = o.type;
    if (type !== 'file' && type !== 'dir') fail(`${f}.type`, `expected "file" or "dir", got ${show(type)}`);
    if (LAB_FILE_ROOTS.some((root) => root === path) && type !== 'dir') fail(`${f}.type`, `${path} must be a directory`);
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (isUnderRoots(parent) && types.get(parent) !== 'dir') fail(`${f}.path`, `its directory ${parent} does not come before it in the image`);
    const file: FileImage = { path, type, mode: integer(o.mode, `${f}.mode`, 0, 0o7777), mtimeMs: finite(o.mtimeMs, `${f}.mtimeMs`) };
    if (type === 'file') file.data = string(o.data, `${f}.data`);
    else if (o.data !== undefined) fail(`${f}.data`, 'a directory has no data');
    types.set(path, type);
    out.push(file);
  });
  return out;
}

function hosts(value: unknown): Record<string, LabHostImage> {
  const out: Record<string, LabHostImage> = {};
  for (const [name, spec] of Object.entries(object(value, 'hosts'))) {
    const f = `hosts.${name}`;
    const o = object(spec, f);
    out[name] = { cpus: integer(o.cpus, `${f}.cpus`, 1, 1024), memoryBytes: integer(o.memoryBytes, `${f}.memoryBytes`, 1), cgroupVersion: cgroupVersion(o.cgroupVersion, `${f}.cgroupVersion`) };
  }
  return out;
}

/** Check an untrusted value as a lab image (migrating an older version) and return a fresh copy of it. */
export function parseLabImage(value: unknown): LabImage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new LabImageError(`lab image: expected an object, got ${show(value)}`);
  let raw = value as Record<string, unknown>;
  if (raw.format !== LAB_IMAGE_FORMAT) fail('format', `expected ${JSON.stringify(LAB_IMAGE_FORMAT)}, got ${show(raw.format)}: not a Kubelab lab`);
  const version = integer(raw.version, 'version', 1);
  if (version > LAB_IMAGE_VERSION) throw new LabImageError(`lab image: version ${version} is newer than this Kubelab understands (${LAB_IMAGE_VERSION})`);
  for (let v = version; v < LAB_IMAGE_VERSION; v++) {
    const migrate = MIGRATIONS[v];
    if (!migrate) fail('version', `no migration from version ${v}`);
    raw = migrate(raw);
  }
  const clock = object(raw.clock, 'clock');
  const speed = finite(clock.speed, 'clock.speed');
  if (speed < 0.25 || speed > 100) fail('clock.speed', `expected 0.25 to 100, got ${speed}`);
  const cluster = object(raw.cluster, 'cluster');
  const nodes = array(cluster.nodes, 'cluster.nodes').map((n, i) => lightNode(n, `cluster.nodes[${i}]`));
  const fullNodes = array(cluster.fullNodes, 'cluster.fullNodes').map((n, i) => fullNode(n, `cluster.fullNodes[${i}]`));
  const names = new Set<string>();
  const unique = (name: string, field: string) => {
    if (names.has(name)) fail(field, `node ${name} is listed twice`);
    names.add(name);
  };
  nodes.forEach((n, i) => unique(n.name, `cluster.nodes[${i}].name`));
  fullNodes.forEach((n, i) => unique(n.name, `cluster.fullNodes[${i}].name`));
  const unsaved = object(raw.unsaved, 'unsaved');
  return {
    format: LAB_IMAGE_FORMAT,
    version: LAB_IMAGE_VERSION,
    seed: integer(raw.seed, 'seed', 0, 0xffffffff),
    clock: { now: timestamp(clock.now, 'clock.now'), speed, paused: boolean(clock.paused, 'clock.paused') },
    cluster: { spec: clusterSpec(cluster.spec, 'cluster.spec'), nodes, fullNodes, etcd: etcdSnapshot(cluster.etcd) },
    hosts: hosts(raw.hosts),
    files: files(raw.files),
    unsaved: {
      sessions: integer(unsaved.sessions, 'unsaved.sessions', 0),
      dockerContainers: integer(unsaved.dockerContainers, 'unsaved.dockerContainers', 0),
      dockerImages: integer(unsaved.dockerImages, 'unsaved.dockerImages', 0),
    },
  };
}

/** The student's files as an image holds them: each root and everything below it, parents first. */
export function saveFiles(fs: MemoryFileSystem): FileImage[] {
  const out: FileImage[] = [];
  const walk = (path: string) => {
    const stat = fs.stat(path);
    if (!stat) return;
    if (stat.type === 'file') {
      out.push({ path, type: 'file', mode: stat.mode, mtimeMs: stat.mtimeMs, data: fs.readFile(path) });
      return;
    }
    out.push({ path, type: 'dir', mode: stat.mode, mtimeMs: stat.mtimeMs });
    for (const name of fs.readdir(path)) walk(`${path}/${name}`);
  };
  for (const root of LAB_FILE_ROOTS) walk(root);
  return out;
}

/**
 * Replace the student's files with the image's: the roots emptied, then each entry written with its
 * mode, and every modification time set last (writing a child touches its directory).
 */
export function loadFiles(fs: MemoryFileSystem, entries: readonly FileImage[]): void {
  for (const root of LAB_FILE_ROOTS) {
    fs.rm(root, { recursive: true, force: true });
    fs.mkdir(root, { recursive: true });
  }
  for (const entry of entries) {
    if (entry.type === 'dir') fs.mkdir(entry.path, { recursive: true });
    else fs.writeFile(entry.path, entry.data ?? '');
    fs.chmod(entry.path, entry.mode);
  }
  for (const entry of entries) fs.utimes(entry.path, entry.mtimeMs);
}

/** "1 shell session", "2 shell sessions". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
