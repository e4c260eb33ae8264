/**
 * Lab — the engine's front door: one lab is a virtual clock, a seed, the cluster, and the shells open on
 * it. Everything a UI mirrors is a record here, reported as RecordsDiffs.
 *
 * The laptop: the student's shells run on no emulated host, with the lab's files, the cluster's admin
 * credentials and a loopback (loopback.ts) that `kubectl port-forward` listens on and the laptop's `curl`
 * reaches. Its prompt is kube-ps1's before Debian's (`(⎈|kubernetes-admin@kubernetes:default) student@laptop:~$`).
 *
 * Hosts: besides the cluster, a lab has emulated Linux hosts a shell can reach (`ssh docker-host`, or a
 * session opened on one): `docker-host` (2 CPUs, 4 GiB, cgroup v2; dockerd's cgroup driver
 * is systemd there and cgroupfs on cgroup v1, as dockerd defaults), booted on first use so a lab that
 * never touches it pays nothing. `host(name)` is the one lookup, for the cluster's full nodes too
 * (`ssh worker-1`).
 *
 * Determinism: a lab is a pure function of (seed, startTime, inputs). Nothing in it reads the wall clock;
 * a host moves its clock (a RealTimeDriver in the browser, `runHeadless` in the CLI and tests).
 *
 * Saving: `save()` is the lab as data (labImage.ts); `load(image)` restores one in place, as a cluster
 * restored from an etcd backup comes back — etcd from the snapshot, the control plane over it, the nodes
 * rebooted — and to everything that follows the cluster it looks like `lab reset` (onDidReset).
 */
import { Clock, DEFAULT_EPOCH, type ClockState } from '../base/clock.ts';
import { DiffCollector, type RecordsDiff } from '../base/recordsDiff.ts';
import { SeededRng } from '../base/seededRng.ts';
import { ADMIN_USER } from '../apiserver/kubeApiserver.ts';
import type { ApiRequest, ApiResponse } from '../apiserver/http.ts';
import type { UserInfo } from '../apiserver/server.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import { InProcessTransport, type Transport } from '../client/rest/transport.ts';
import { Host, type HostOptions } from '../kernel/host.ts';
import { installShell } from '../programs/shell/index.ts';
import { registerPrograms } from '../programs/index.ts';
import { Containerd } from '../runtime/containerd/containerd.ts';
import { Dockerd, dockerdOn } from '../runtime/dockerd/dockerd.ts';
import { createRegistries } from '../runtime/registry/catalogue/index.ts';
import { KATA_V2, installKata } from '../runtime/kata/installKata.ts';
import { RUNSC_V1, installRunsc } from '../runtime/runsc/installRunsc.ts';
import { registerDockerResolver, type DockerClient } from '../shell/commands/docker/client.ts';
import type { HostShell } from '../shell/host/hostShell.ts';
import { MemoryFileSystem } from '../shell/fs.ts';
import { builtinCommands, type CommandTable } from '../shell/commands/index.ts';
import { LAPTOP_CURL } from '../shell/commands/curl.ts';
import { editorCommands, type EditorHost } from '../shell/commands/editor.ts';
import { etcdctl } from '../shell/commands/etcdctl/index.ts';
import { Session, type SessionState } from '../shell/session.ts';
import type { TerminalTarget } from '../shell/command.ts';
import { laptopPrompt } from '../shell/kubePs1.ts';
import { labCommand } from '../shell/commands/lab/lab.ts';
import { Cluster, defaultFullNodeSpec, defaultNodeSpec, type ClusterSpec } from './cluster.ts';
import { LAB_IMAGE_FORMAT, LAB_IMAGE_VERSION, LabImageError, count, loadFiles, parseLabImage, saveFiles, type LabImage, type LoadReport } from './labImage.ts';
import { Loopback, registerLoopback } from './loopback.ts';
import { ClusterView, type ObjectRecord } from './clusterView.ts';

export interface LabSpec {
  seed?: number;
  /** Virtual time at boot, ms since the Unix epoch (default: DEFAULT_EPOCH). */
  startTime?: number;
  /** Start the clock running (real-time hosts) or paused (headless, tests). */
  running?: boolean;
  /** What runs beside the control plane (default: etcd and the apiserver alone). */
  cluster?: ClusterSpec;
  /** Changes to the lab's own hosts (docker-host), by hostname: `{ 'docker-host': { cgroupVersion: 1 } }`. */
  hosts?: Readonly<Record<string, LabHostChanges>>;
}

/** What a lab spec or `lab host reset` may change about a lab host. */
export type LabHostChanges = Partial<Pick<LabHostSpec, 'cgroupVersion'>>;

/** A lab host as `lab host` lists it. */
export interface LabHostInfo {
  name: string;
  cpus: number;
  memoryBytes: number;
  cgroupVersion: 1 | 2;
  /** Booted (it boots when first used). */
  running: boolean;
}

export interface ClockRecord extends ClockState {
  typeName: 'clock';
  id: 'clock';
}

export interface SessionRecord {
  typeName: 'session';
  id: string;
  user: string;
  host: string;
  state: SessionState;
  exitStatus: number | null;
  /** Where the terminal's keys go while a command holds it (`ssh worker-1`, `kubectl exec -it`), else null. */
  attached: TerminalTarget | null;
}

export type LabRecord = ClockRecord | SessionRecord | ObjectRecord;

export interface OpenSessionOptions {
  tty: boolean;
  cols?: number;
  rows?: number;
  scriptName?: string;
  /** A shell on this lab host (root, /root) instead of the student's laptop. */
  host?: string;
  /** Who shows the files the laptop's `vi` and `nano` open (the UI's editor panel); not used on a lab host. */
  editor?: EditorHost;
  /** A lesson's check: the laptop's kubectl authenticates as LESSON_CHECKS_USER instead of the admin (the diagrams leave its requests out), and the session has no record. */
  lessonChecks?: boolean;
}

/** Who a lesson's checks are to the apiserver: an admin of its own, so that the diagrams can leave its requests out. */
export const LESSON_CHECKS_USER: UserInfo = { username: 'kubelab:lesson-checks', groups: ['system:masters'] };

/** A lab host: the machine, and whether it runs Docker Engine (containerd + dockerd, as Docker Desktop's VM does). */
interface LabHostSpec extends Pick<HostOptions, 'cpus' | 'memoryBytes' | 'cgroupVersion'> {
  docker?: boolean;
}

/** The lab's hosts besides the cluster's nodes, by hostname. */
const LAB_HOSTS: Readonly<Record<string, LabHostSpec>> = {
  'docker-host': { cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, docker: true },
};

/** The exit status of a shell whose terminal hung up (SIGHUP): what a restore does to open sessions. */
const HANGUP_STATUS = 129;

export class Lab {
  readonly clock: Clock;
  private _rng: SeededRng;
  private _seed: number;
  private current: Cluster;
  private clusterSpec: ClusterSpec | undefined;
  private resets = 0;
  /** Tokens the apiserver accepts, kept so that a fresh cluster accepts them too. */
  private readonly tokens = new Map<string, UserInfo>();
  private readonly _onDidReset = new Emitter<void>();
  /** The cluster was replaced by a fresh one (`lab reset`): hosts holding parts of it follow `cluster`. */
  readonly onDidReset: Event<void> = this._onDidReset.event;
  private readonly sessions = new Map<string, Session>();
  private readonly records = new Map<string, LabRecord>();
  private readonly changes = new DiffCollector<LabRecord>();
  private nextSessionId = 1;
  private view: ClusterView | undefined;
  private readonly commands = builtinCommands({ shell: (name) => this.hostShell(name) });
  /** The laptop's commands: the hosts' and the laptop's own. */
  private readonly laptopCommands: CommandTable;
  private readonly hosts = new Map<string, HostShell>();
  /** Each lab host's machine, as the lab's spec and `lab host reset` left it. */
  private readonly hostSpecs = new Map<string, LabHostSpec>();
  private readonly hostBoots = new Map<string, number>();
  /** The registries the lab's hosts pull from (docker.io, registry.k8s.io), made when a host first needs them. */
  private registries: ReturnType<typeof createRegistries> | undefined;
  /** The student's files, shared by every shell of the lab: /home/student (the home directory) and /tmp. */
  readonly fs: MemoryFileSystem;
  /** How the lab's shells reach the apiserver: as the cluster's admin (kubeadm's kubernetes-admin). */
  readonly kube: { transport: Transport };
  /** How a lesson's checks reach it: as LESSON_CHECKS_USER. */
  private readonly checksKube: { transport: Transport };

  constructor(spec: LabSpec = {}) {
    this._seed = spec.seed ?? 1;
    this._rng = new SeededRng(this._seed);
    this.clock = new Clock({ startTime: spec.startTime ?? DEFAULT_EPOCH, paused: !spec.running });
    this.clusterSpec = spec.cluster;
    for (const [name, machine] of Object.entries(LAB_HOSTS)) {
      const changes = spec.hosts && Object.hasOwn(spec.hosts, name) ? spec.hosts[name] : undefined;
      this.hostSpecs.set(name, { ...machine, ...changes });
    }
    this.current = this.newCluster(this.rng);
    void this.current.boot();
    this.fs = new MemoryFileSystem(this.clock);
    this.fs.mkdir('/home/student', { recursive: true });
    this.fs.mkdir('/tmp', { recursive: true });
    // Who the laptop's files belong to, for ls -l, stat and find -user.
    this.fs.mkdir('/etc', { recursive: true });
    this.fs.writeFile('/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nstudent:x:1000:1000:Student,,,:/home/student:/bin/bash\n');
    this.fs.writeFile('/etc/group', 'root:x:0:\nsudo:x:27:student\nstudent:x:1000:\n');
    const adminToken = `kubelab-admin-${this.rng.fork('lab/admin-token').string('abcdefghijklmnopqrstuvwxyz0123456789', 32)}`;
    this.authenticate(adminToken, ADMIN_USER);
    this.kube = { transport: new InProcessTransport(this, adminToken) };
    const checksToken = `kubelab-checks-${this.rng.fork('lab/checks-token').string('abcdefghijklmnopqrstuvwxyz0123456789', 32)}`;
    this.authenticate(checksToken, LESSON_CHECKS_USER);
    this.checksKube = { transport: new InProcessTransport(this, checksToken) };
    // etcdctl belongs on the control-plane node's shell; until node shells exist, the lab's shell has it.
    this.commands.set('etcdctl', { run: etcdctl(() => this.cluster.etcd), summary: "etcd's v3 client: get, put, del, txn, watch, lease, endpoint status, snapshot" });
    this.commands.set('lab', {
      run: labCommand({ clock: this.clock, cluster: () => this.cluster, nodeSpec: defaultNodeSpec, fullNodeSpec: defaultFullNodeSpec, reset: () => this.reset(), hosts: () => this.labHosts(), resetHost: (name, changes) => this.resetHost(name, changes) !== undefined }),
      summary: "the lab's own controls: lab node [add|fail|recover] (light or full nodes), lab clock, lab explain schedule, lab reset, lab host",
    });
    registerDockerResolver(this.clock, () => this.dockerDaemon());
    // The laptop's own: its loopback (where `kubectl port-forward` listens) and a curl that reaches it.
    registerLoopback(this.clock, new Loopback(this.rng.fork('laptop/loopback')));
    this.laptopCommands = new Map([...this.commands, ['curl', LAPTOP_CURL], ...editorCommands()]);
    this.put({ typeName: 'clock', id: 'clock', ...this.clock.state });
    this.clock.onDidChangeState((state) => this.put({ typeName: 'clock', id: 'clock', ...state }));
  }

  /** The lab's seed: the one it was made with, or the restored image's. */
  get seed(): number {
    return this._seed;
  }

  /** Where the lab's chance comes from (forked per use): from the seed, or from the restored image's. */
  get rng(): SeededRng {
    return this._rng;
  }

  /** The cluster now: the one the lab booted, or the fresh one of the last reset. */
  get cluster(): Cluster {
    return this.current;
  }

  /**
   * Keep a record of each node, pod, workload, Service and EndpointSlice among the lab's records (what the
   * diagrams draw), from now on: a ClusterView watching through the apiserver with its own credentials.
   * Its watches go through the lab, so after `lab reset` they relist the fresh cluster. Idempotent.
   */
  viewCluster(): void {
    if (this.view) return;
    const token = `kubelab-view-${this.rng.fork('lab/view-token').string('abcdefghijklmnopqrstuvwxyz0123456789', 32)}`;
    this.authenticate(token, { username: 'kubelab:diagrams', groups: ['system:masters', 'system:authenticated'] });
    this.view = new ClusterView({
      transport: new InProcessTransport(this, token, 'kubelab-diagrams'),
      clock: this.clock,
      rng: this.rng.fork('lab/view'),
      put: (record) => this.put(record),
      remove: (id) => this.drop(id),
    });
    this.view.start();
  }

  /** Serve an API request with the current cluster (shells, `kubelab serve` and the UI all come through here). */
  handle(request: ApiRequest): ApiResponse {
    return this.current.handle(request);
  }

  /** Make the apiserver accept `token` as `user`, now and after every reset. */
  authenticate(token: string, user: UserInfo): void {
    this.tokens.set(token, user);
    this.current.authenticator.add(token, user);
  }

  /**
   * `lab reset`: stop the cluster — components, watches (a `kubectl get -w` ends as on a lost
   * connection), timers — and boot a fresh one from the lab's spec at the current virtual time. The
   * student's files, shells and the clock go on. Resolves once the new cluster's nodes are registered.
   */
  async reset(): Promise<void> {
    const old = this.current;
    const openapi = old.apiserver.openapi.loaded;
    old.shutdown();
    this.current = this.newCluster(this.rng.fork(`lab reset ${++this.resets}`));
    for (const [token, user] of this.tokens) this.current.authenticator.add(token, user);
    this._onDidReset.fire();
    await this.current.boot();
    if (openapi) await this.current.apiserver.openapi.load();
  }

  /**
   * `lab reset` from the UI: the student's files emptied (/home/student and /tmp), then a fresh cluster
   * as `reset` boots it — of `cluster`'s layout when given (a lesson's start), which later resets keep; with
   * `hosts`, the lab hosts also power off and come back as the lab's spec plus those changes.
   */
  async resetAll(options: { cluster?: ClusterSpec; hosts?: Readonly<Record<string, LabHostChanges>> } = {}): Promise<void> {
    loadFiles(this.fs, []);
    if (options.cluster) this.clusterSpec = options.cluster;
    if (options.hosts) {
      // The lab hosts power off and come back, on first use, as the lab's spec made them plus these changes.
      for (const [name, machine] of Object.entries(LAB_HOSTS)) {
        this.powerOff(name);
        this.hostSpecs.set(name, { ...machine, ...(Object.hasOwn(options.hosts, name) ? options.hosts[name] : undefined) });
      }
    }
    await this.reset();
  }

  /** The whole lab as data (labImage.ts): for autosave and export. */
  save(): LabImage {
    const docker = this.hosts.has('docker-host') ? dockerdOn(this.hosts.get('docker-host')!.host) : undefined;
    const state = this.clock.state;
    return {
      format: LAB_IMAGE_FORMAT,
      version: LAB_IMAGE_VERSION,
      seed: this.seed,
      clock: { now: state.now, speed: state.speed, paused: state.paused },
      // Copied as JSON: the image shares nothing with the running lab.
      cluster: JSON.parse(JSON.stringify({ spec: this.clusterSpec ?? {}, ...this.current.machines(), etcd: this.current.etcd.snapshot() })) as LabImage['cluster'],
      hosts: Object.fromEntries([...this.hostSpecs].map(([name, spec]) => [name, { cpus: spec.cpus, memoryBytes: spec.memoryBytes, cgroupVersion: spec.cgroupVersion }])),
      files: saveFiles(this.fs),
      unsaved: { sessions: this.sessions.size, dockerContainers: docker?.containerList({ all: true }).length ?? 0, dockerImages: docker?.imageList().length ?? 0 },
    };
  }

  /**
   * Replace this lab with the one `image` describes. The image is checked first: a bad one throws a
   * LabImageError saying what is wrong, and the lab is untouched. Then, as a real lab restored from its
   * backup: the open shells hang up, the lab hosts power off (their containers and images go), the
   * cluster stops, the clock is set to the image's time, speed and pause, the student's files are the
   * image's, and a cluster restored from the image's etcd snapshot boots on the image's machines: its
   * nodes reboot, their kubelets find their Nodes and the pods bound to them and start those afresh.
   * Returns what could not be restored.
   */
  load(value: unknown): LoadReport {
    const image = parseLabImage(value);
    for (const name of Object.keys(image.hosts)) if (!this.hostSpecs.has(name)) throw new LabImageError(`lab image: hosts.${name}: this lab has no host named ${name}`);
    const lost: string[] = [];
    if (image.cluster.fullNodes.length > 0) lost.push("the containers' processes, memory and files, and the nodes' pulled images (the nodes rebooted and started their pods afresh)");
    const sessions = Math.max(this.sessions.size, image.unsaved.sessions);
    if (sessions > 0) lost.push(count(sessions, 'shell session'));
    let containers = image.unsaved.dockerContainers;
    let images = image.unsaved.dockerImages;
    const docker = this.hosts.has('docker-host') ? dockerdOn(this.hosts.get('docker-host')!.host) : undefined;
    if (docker) {
      containers = Math.max(containers, docker.containerList({ all: true }).length);
      images = Math.max(images, docker.imageList().length);
    }
    if (containers > 0 || images > 0) lost.push(`docker-host's ${[containers > 0 ? count(containers, 'container') : '', images > 0 ? count(images, 'image') : ''].filter(Boolean).join(' and ')}`);

    for (const session of [...this.sessions.values()]) session.close(HANGUP_STATUS);
    for (const name of [...this.hosts.keys()]) this.powerOff(name);
    this.hostBoots.clear();
    for (const [name, machine] of Object.entries(image.hosts)) this.hostSpecs.set(name, { ...this.hostSpecs.get(name), ...machine });
    const old = this.current;
    const openapi = old.apiserver.openapi.loaded;
    old.shutdown();
    this.clock.travel(image.clock.now);
    this.clock.setSpeed(image.clock.speed);
    if (image.clock.paused) this.clock.pause();
    else this.clock.play();
    loadFiles(this.fs, image.files);
    this._seed = image.seed;
    this._rng = new SeededRng(image.seed).fork(`lab restore ${image.clock.now}`);
    this.resets = 0;
    this.clusterSpec = image.cluster.spec;
    const { spec, nodes, fullNodes, etcd } = image.cluster;
    const cluster = new Cluster({ clock: this.clock, rng: this._rng.fork('cluster'), spec: { ...spec, nodes, fullNodes }, restore: etcd });
    this.current = cluster;
    for (const [token, user] of this.tokens) cluster.authenticator.add(token, user);
    this._onDidReset.fire();
    void cluster.boot().then(() => (openapi ? cluster.apiserver.openapi.load() : undefined));
    return { lost };
  }

  private newCluster(rng: SeededRng): Cluster {
    return new Cluster({ clock: this.clock, rng, ...(this.clusterSpec ? { spec: this.clusterSpec } : {}) });
  }

  /** The host named `name` (booted now if it is a lab host not yet used), or undefined for no such host. */
  host(name: string): Host | undefined {
    return this.hostShell(name)?.host;
  }

  /** The shell of host `name`: how sessions and `ssh` reach it. */
  hostShell(name: string): HostShell | undefined {
    const known = this.hosts.get(name);
    if (known) return known;
    const node = this.current.fullNodes.get(name);
    // A full node of the cluster (`ssh worker-1`): the shell the cluster installed on it.
    if (node) return node.shell;
    const spec = this.hostSpecs.get(name);
    if (!spec) return undefined;
    const { docker, ...machine } = spec;
    const boots = (this.hostBoots.get(name) ?? 0) + 1;
    this.hostBoots.set(name, boots);
    const rng = this.rng.fork(boots === 1 ? `host/${name}` : `host/${name}/boot ${boots}`);
    const host = new Host({ clock: this.clock, rng, hostname: name, ...machine });
    registerPrograms(host.programs, host);
    const shell = installShell(host, { commands: this.commands, kube: this.kube });
    if (docker) {
      // systemd enables these controllers for the services below the root, as on a Docker host.
      if (machine.cgroupVersion === 2) host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
      this.registries ??= createRegistries();
      // dockerd's default cgroup driver (daemon_unix.go UsingSystemd): systemd on a cgroup v2 host, cgroupfs on v1.
      const cgroupDriver = machine.cgroupVersion === 1 ? 'cgroupfs' : 'systemd';
      const containerd = new Containerd({ host, registries: this.registries, rng: rng.fork('containerd'), cgroupDriver });
      // gVisor and Kata installed beside runc, for the runtimes lesson: a sandbox kernel runs what the host runs.
      const programs = (kernel: Host) => {
        registerPrograms(kernel.programs, kernel);
        installShell(kernel, { commands: this.commands });
      };
      installRunsc(containerd, { programs });
      installKata(containerd, { programs });
      const runtimes = { runsc: { runtimeType: RUNSC_V1 }, kata: { runtimeType: KATA_V2 } };
      new Dockerd({ host, containerd, registries: this.registries, rng: rng.fork('dockerd'), runtimes });
    }
    this.hosts.set(name, shell);
    return shell;
  }

  /** The lab's hosts, by name. */
  labHosts(): LabHostInfo[] {
    return [...this.hostSpecs].map(([name, spec]) => ({ name, cpus: spec.cpus, memoryBytes: spec.memoryBytes, cgroupVersion: spec.cgroupVersion, running: this.hosts.has(name) }));
  }

  /** Every host a shell can open on (`openSession({ host })`, `ssh NAME`): the cluster's full nodes, then the lab's hosts. */
  shellHosts(): Array<{ name: string; kind: 'node' | 'lab-host' }> {
    return [...[...this.current.fullNodes.keys()].map((name) => ({ name, kind: 'node' as const })), ...[...this.hostSpecs.keys()].map((name) => ({ name, kind: 'lab-host' as const }))];
  }

  /**
   * `lab host reset NAME`: power the host off if it runs — every process, container and ssh session on it
   * ends, and what was on its disk goes — and boot a fresh one with `changes` applied (a cgroup v1 host
   * boots with `systemd.unified_cgroup_hierarchy=0`). Undefined when the lab has no such host.
   */
  resetHost(name: string, changes: LabHostChanges = {}): Host | undefined {
    const spec = this.hostSpecs.get(name);
    if (!spec) return undefined;
    this.powerOff(name);
    this.hostSpecs.set(name, { ...spec, ...changes });
    return this.host(name);
  }

  /** Stop a lab host's Docker Engine and halt it (it boots again on first use). */
  private powerOff(name: string): void {
    const shell = this.hosts.get(name);
    if (!shell) return;
    dockerdOn(shell.host)?.shutdown();
    shell.host.halt();
    this.hosts.delete(name);
  }

  /** The daemon `docker` on the laptop talks to: the docker-host's (booted on first use). */
  private dockerDaemon(): DockerClient | undefined {
    const host = this.host('docker-host');
    return host ? dockerdOn(host) : undefined;
  }

  /** A shell on the laptop, or with `host` on that host (an Error names a host that does not exist). */
  openSession(options: OpenSessionOptions): Session {
    const id = String(this.nextSessionId++);
    const { host: hostName, editor, lessonChecks, ...rest } = options;
    let session: Session;
    if (hostName === undefined) session = new Session({ id, clock: this.clock, rng: this.rng, commands: this.laptopCommands, fs: this.fs, kube: lessonChecks ? this.checksKube : this.kube, prompt: laptopPrompt, editor, ...rest });
    else {
      const shell = this.hostShell(hostName);
      if (!shell) throw new Error(`openSession: no host named ${hostName}`);
      session = shell.openSession({ id, ...rest });
    }
    this.sessions.set(id, session);
    if (lessonChecks) {
      // A check's shell is not the student's: no record of it reaches the UI.
      session.onDidExit(() => this.sessions.delete(id));
      return session;
    }
    const record = (state: SessionState, exitStatus: number | null): SessionRecord => ({
      typeName: 'session',
      id: `session:${id}`,
      user: session.user,
      host: session.host,
      state,
      exitStatus,
      attached: session.attached ?? null,
    });
    this.put(record(session.state, null));
    session.onDidChangeState((state) => this.put(record(state, null)));
    session.onDidChangeAttached(() => this.put(record(session.state, null)));
    session.onDidExit((status) => {
      this.put(record('closed', status));
      this.sessions.delete(id);
    });
    return session;
  }

  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every record now, as a mirror starting from nothing should receive it. */
  snapshot(): RecordsDiff<LabRecord> {
    return { added: Object.fromEntries(this.records), updated: {}, removed: {} };
  }

  /** The changes since the last call, squashed. */
  flushChanges(): RecordsDiff<LabRecord> {
    return this.changes.flush();
  }

  get hasChanges(): boolean {
    return !this.changes.isEmpty;
  }

  private drop(id: string): void {
    const previous = this.records.get(id);
    if (!previous) return;
    this.records.delete(id);
    this.changes.remove(id, previous);
  }

  private put(record: LabRecord): void {
    const previous = this.records.get(record.id);
    this.records.set(record.id, record);
    if (previous) this.changes.update(record.id, previous, record);
    else this.changes.add(record.id, record);
  }
}
