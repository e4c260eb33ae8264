/**
 * Cluster — one Kubernetes cluster as the lab runs it: etcd (compacted every five minutes, as
 * kube-apiserver's --etcd-compaction-interval does), kube-apiserver over it, and — when the spec asks
 * for them — kube-controller-manager and nodes. Every component talks to the apiserver through its
 * own authenticated client (`transportFor`), never to another component's memory.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { ApiRequest, ApiResponse } from '../apiserver/http.ts';
import { KubeApiserver } from '../apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../apiserver/storage/etcd3.ts';
import type { TokenAuthenticator } from '../apiserver/authentication/tokenAuthenticator.ts';
import type { UserInfo } from '../apiserver/server.ts';
import { KUBERNETES_VERSION } from '../apiserver/version.ts';
import { InProcessTransport, type Transport } from '../client/rest/transport.ts';
import { KubeControllerManager } from '../controllers/controllerManager.ts';
import { Etcd } from '../etcd/index.ts';
import { Kwok, type LightweightNodeSpec } from '../kwok/kwok.ts';
import type { StageDelays } from '../kwok/stages.ts';
import { RestClient } from '../client/rest/restClient.ts';
import { kindFor } from '../api/scheme.ts';
import { controlPlaneStaticPods, kubeadmAddons } from './kubeadm.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { LeaderElector } from '../client/leaderelection/leaderElector.ts';

/** The address the apiserver advertises: the control-plane node's IP (as kind numbers it) and 6443. */
export const CONTROL_PLANE_ADDRESS = '172.18.0.2:6443';

/** kube-apiserver's default --etcd-compaction-interval. */
export const COMPACTION_INTERVAL_MS = 5 * 60_000;

/** The node names and addresses of the default cluster: kubeadm's control plane and two workers. */
export const CONTROL_PLANE_NODE = 'control-plane';

/** A node of the default layout: the n-th node (0 = control plane) gets 172.18.0.(2+n) and 10.244.n.0/24. */
export function defaultNodeSpec(name: string, index: number, rest: Partial<LightweightNodeSpec> = {}): LightweightNodeSpec {
  return { name, address: `172.18.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`, podCIDR: `10.${244 + Math.floor(index / 256)}.${index % 256}.0/24`, ...rest };
}

export const KUBEADM_NODES: readonly LightweightNodeSpec[] = [
  defaultNodeSpec(CONTROL_PLANE_NODE, 0, { controlPlane: true, staticPods: controlPlaneStaticPods('172.18.0.2') }),
  defaultNodeSpec('worker-1', 1),
  defaultNodeSpec('worker-2', 2),
];

export interface ClusterSpec {
  /** Lightweight nodes to register at boot (default none). */
  nodes?: readonly LightweightNodeSpec[];
  /** Run kube-controller-manager with these controllers, or every registered one with 'all' (default none). */
  controllers?: readonly string[] | 'all';
  /** How long lightweight nodes take to start, finish and remove pods. */
  nodeDelays?: Partial<StageDelays>;
  /** Install kubeadm's addons (kube-proxy, CoreDNS) at boot. */
  addons?: boolean;
  /** Run kube-scheduler (default false). */
  scheduler?: boolean;
}

/** The cluster `kubeadm init` plus two joined workers gives. */
export const KUBEADM_CLUSTER: ClusterSpec = { nodes: KUBEADM_NODES, controllers: 'all', scheduler: true, addons: true };

export interface ClusterOptions {
  clock: Clock;
  rng: SeededRng;
  spec?: ClusterSpec;
}

const userAgent = (component: string) => `${component}/${KUBERNETES_VERSION.gitVersion} (linux/amd64) kubernetes/${KUBERNETES_VERSION.gitCommit.slice(0, 7)}`;

export class Cluster {
  readonly etcd: Etcd;
  readonly apiserver: KubeApiserver;
  readonly controllerManager: KubeControllerManager | undefined;
  readonly scheduler: Scheduler | undefined;
  private schedulerElector: LeaderElector | undefined;
  /** The kubelet of every lightweight node. */
  readonly kwok: Kwok;
  private readonly rng: SeededRng;
  private readonly spec: ClusterSpec;
  private booted: Promise<void> | undefined;

  constructor(options: ClusterOptions) {
    this.rng = options.rng;
    this.spec = options.spec ?? {};
    this.etcd = new Etcd({ clock: options.clock, rng: options.rng });
    this.etcd.autoCompact(COMPACTION_INTERVAL_MS);
    this.apiserver = new KubeApiserver({ clock: options.clock, rng: options.rng, storage: new Etcd3Storage(this.etcd), serverAddress: CONTROL_PLANE_ADDRESS });
    const controllers = this.spec.controllers;
    if (controllers) {
      this.controllerManager = new KubeControllerManager({
        transport: this.transportFor({ username: 'system:kube-controller-manager', groups: [] }, userAgent('kube-controller-manager')),
        clock: options.clock,
        rng: options.rng.fork('kube-controller-manager'),
        hostname: CONTROL_PLANE_NODE,
        ...(controllers === 'all' ? {} : { controllers }),
      });
    }
    if (this.spec.scheduler) {
      const transport = this.transportFor({ username: 'system:kube-scheduler', groups: [] }, userAgent('kube-scheduler'));
      const rng = options.rng.fork('kube-scheduler');
      this.scheduler = new Scheduler({ transport, clock: options.clock, rng });
      const scheduler = this.scheduler;
      this.schedulerElector = new LeaderElector({
        client: new RestClient(transport),
        clock: options.clock,
        rng: rng.fork('leader election'),
        namespace: 'kube-system',
        name: 'kube-scheduler',
        identity: `${CONTROL_PLANE_NODE}_${rng.fork('identity').uuid()}`,
        onStartedLeading: () => scheduler.start(),
        onStoppedLeading: () => scheduler.stop(),
      });
    }
    this.kwok = new Kwok({
      transport: this.transportFor({ username: 'system:node:kwok', groups: ['system:nodes'] }, userAgent('kwok')),
      clock: options.clock,
      rng: options.rng.fork('kwok'),
      ...(this.spec.nodeDelays ? { delays: this.spec.nodeDelays } : {}),
    });
  }

  /**
   * Start the components and register the nodes. Resolves once every node is registered; the rest
   * (leases, controllers catching up) goes on as the clock runs.
   */
  boot(): Promise<void> {
    this.booted ??= (async () => {
      this.controllerManager?.start();
      this.schedulerElector?.run();
      this.kwok.start();
      for (const node of this.spec.nodes ?? []) await this.kwok.addNode(node);
      if (this.spec.addons) await this.installAddons();
    })();
    return this.booted;
  }

  /** `kubeadm init phase addon all`, as kubernetes-admin. */
  private async installAddons(): Promise<void> {
    const client = new RestClient(this.transportFor({ username: 'kubernetes-admin', groups: ['system:masters'] }, userAgent('kubeadm')));
    for (const obj of kubeadmAddons()) {
      const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '')!;
      await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }).create(info.namespaced ? (obj.metadata?.namespace ?? 'default') : '', obj);
    }
  }

  /** Stop everything: the components, the watches, etcd's timers. Nothing of the cluster stays on the clock. */
  shutdown(): void {
    this.controllerManager?.stop();
    this.schedulerElector?.stop();
    this.kwok.stop();
    this.apiserver.shutdown();
    this.etcd.dispose();
  }

  get authenticator(): TokenAuthenticator {
    return this.apiserver.authenticator;
  }

  /**
   * A client connection for a component or user: a fresh bearer token the apiserver authenticates as
   * `user` (as kubeadm writes each component a kubeconfig with its own credentials), sending `userAgent`.
   */
  transportFor(user: UserInfo, agent: string): Transport {
    const token = this.rng.fork(`token ${user.username}`).string('abcdefghijklmnopqrstuvwxyz0123456789', 32);
    this.authenticator.add(token, user);
    return new InProcessTransport(this, token, agent);
  }

  handle(request: ApiRequest): ApiResponse {
    return this.apiserver.handle(request);
  }
}
