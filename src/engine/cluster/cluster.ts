/**
 * Cluster — one Kubernetes cluster's control plane as the lab runs it: etcd (compacted every five
 * minutes, as kube-apiserver's --etcd-compaction-interval does) and kube-apiserver over it. Every other
 * component talks to it through `handle`, the apiserver's HTTP shape. Later issues add the controller
 * manager, the scheduler and the nodes.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { ApiRequest, ApiResponse } from '../apiserver/http.ts';
import { KubeApiserver } from '../apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../apiserver/storage/etcd3.ts';
import type { TokenAuthenticator } from '../apiserver/authentication/tokenAuthenticator.ts';
import type { UserInfo } from '../apiserver/server.ts';
import { InProcessTransport, type Transport } from '../client/rest/transport.ts';
import { Etcd } from '../etcd/index.ts';

/** The address the apiserver advertises: the control-plane node's IP (as kind numbers it) and 6443. */
export const CONTROL_PLANE_ADDRESS = '172.18.0.2:6443';

/** kube-apiserver's default --etcd-compaction-interval. */
export const COMPACTION_INTERVAL_MS = 5 * 60_000;

export interface ClusterOptions {
  clock: Clock;
  rng: SeededRng;
}

export class Cluster {
  readonly etcd: Etcd;
  readonly apiserver: KubeApiserver;
  private readonly rng: SeededRng;

  constructor(options: ClusterOptions) {
    this.rng = options.rng;
    this.etcd = new Etcd({ clock: options.clock, rng: options.rng });
    this.etcd.autoCompact(COMPACTION_INTERVAL_MS);
    this.apiserver = new KubeApiserver({ clock: options.clock, rng: options.rng, storage: new Etcd3Storage(this.etcd), serverAddress: CONTROL_PLANE_ADDRESS });
  }

  get authenticator(): TokenAuthenticator {
    return this.apiserver.authenticator;
  }

  /**
   * A client connection for a component or user: a fresh bearer token the apiserver authenticates as
   * `user` (as kubeadm writes each component a kubeconfig with its own credentials), sending `userAgent`.
   */
  transportFor(user: UserInfo, userAgent: string): Transport {
    const token = this.rng.fork(`token ${user.username}`).string('abcdefghijklmnopqrstuvwxyz0123456789', 32);
    this.authenticator.add(token, user);
    return new InProcessTransport(this, token, userAgent);
  }

  handle(request: ApiRequest): ApiResponse {
    return this.apiserver.handle(request);
  }
}
