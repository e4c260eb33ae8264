/**
 * The kubelet's node lease controller (k8s.io/component-helpers/apimachinery/lease/controller.go): the
 * Lease `kube-node-lease/<node>` renewed every 10s (a quarter of --node-lease-duration-seconds), owned by
 * the Node. It updates the copy the last renewal returned; only when that fails (a conflict, or no copy
 * yet) does it read the Lease again, or create it. The interval and duration are kwok's, which renews
 * lightweight nodes' leases the same way.
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { rfc3339Micro } from '../../api/time.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import type { KubeObject, RestClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { NODE_LEASE_DURATION_SECONDS, NODE_LEASE_RENEW_INTERVAL_MS } from '../../kwok/kwok.ts';

type LeaseObject = Lease & KubeObject;

export class LeaseController {
  private lease: LeaseObject | undefined;
  private timer: Timer | undefined;

  constructor(
    private readonly client: RestClient,
    private readonly clock: Clock,
    private readonly nodeName: string,
    /** The Node's uid, for the owner reference. */
    private readonly nodeUid: () => string,
  ) {}

  run(): void {
    this.timer ??= this.clock.every(NODE_LEASE_RENEW_INTERVAL_MS, () => void this.sync().catch(() => undefined), `kubelet ${this.nodeName}: node lease`);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Renew (or create) the Lease now. */
  async sync(): Promise<void> {
    const leases = this.client.resource<LeaseObject>(RESOURCES.leases);
    const name = this.nodeName;
    const spec = { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(this.clock.now()) };
    const renew = (lease: LeaseObject) => leases.update('kube-node-lease', { ...lease, spec: { ...lease.spec, ...spec } });
    if (this.lease) {
      try {
        this.lease = await renew(this.lease);
        return;
      } catch (error) {
        this.lease = undefined;
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
    }
    try {
      this.lease = await renew(await leases.get('kube-node-lease', name));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.lease = await leases.create('kube-node-lease', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: this.nodeUid() }] },
        spec,
      });
    }
  }
}
