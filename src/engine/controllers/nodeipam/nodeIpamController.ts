/**
 * The node IPAM controller — pkg/controller/nodeipam/node_ipam_controller.go and
 * startNodeIpamController (cmd/kube-controller-manager/app/core.go), Kubernetes 1.32: with
 * --allocate-node-cidrs=true it runs the range allocator (rangeAllocator.ts), which gives each Node its
 * pod CIDR out of --cluster-cidr.
 *
 * The lab's kube-controller-manager runs with the flags kubeadm's manifest gives it
 * (cluster/kubeadm.ts): --allocate-node-cidrs=true, --cluster-cidr=10.244.0.0/16 (kind's pod subnet),
 * --service-cluster-ip-range=10.96.0.0/12, and the default --node-cidr-mask-size-ipv4 of 24.
 *
 * Left out: --allocate-node-cidrs=false (the controller then does not start), --cidr-allocator-type=
 * CloudAllocator, dual-stack cluster CIDRs, and the metrics.
 */
import type { ControllerDescriptor } from '../controllerContext.ts';
import { RangeAllocator, type CIDRAllocatorParams } from './rangeAllocator.ts';

/** kube-controller-manager's node IPAM flags in a kubeadm cluster. */
export const KUBEADM_NODE_IPAM_PARAMS: CIDRAllocatorParams = {
  clusterCIDRs: ['10.244.0.0/16'],
  serviceCIDR: '10.96.0.0/12',
  nodeCIDRMaskSizes: [24],
};

/** cidrUpdateWorkers. */
export const CIDR_UPDATE_WORKERS = 30;

/** The registry entry of a node IPAM controller allocating with `params`. */
export function nodeIpamControllerDescriptorFor(params: CIDRAllocatorParams): ControllerDescriptor {
  return { name: 'node-ipam-controller', workers: CIDR_UPDATE_WORKERS, init: (ctx) => new RangeAllocator(ctx, params) };
}

export const nodeIpamControllerDescriptor = nodeIpamControllerDescriptorFor(KUBEADM_NODE_IPAM_PARAMS);
