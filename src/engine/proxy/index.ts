/**
 * kube-proxy v1.32.4 in iptables mode (cmd/kube-proxy, pkg/proxy/iptables): the program kubeadm's
 * DaemonSet runs on each full node (kubeProxy.ts), its flags and KubeProxyConfiguration (options.ts),
 * the iptables Proxier that turns Services and EndpointSlices into `iptables-restore --noflush` input
 * (proxier.ts, serviceTracker.ts, chainNames.ts) under a BoundedFrequencyRunner, and its /healthz and
 * /metrics servers.
 *
 * Left out: ipvs and nftables modes, LoadBalancer ingress and source ranges, topology hints, IPv6 and
 * dual-stack, conntrack clean-up; the netfilter tables themselves are the kernel's (kernel/net), reached
 * through the injected `apply`.
 */
export { BoundedFrequencyRunner, type RunnerScheduler } from './boundedFrequencyRunner.ts';
export { portProtoHash, serviceExternalChainName, servicePortEndpointChainName, servicePortPolicyClusterChain, servicePortPolicyLocalChainName } from './chainNames.ts';
export { goTimeWithMonotonic, ProxierHealthServer } from './healthServer.ts';
export { KubeProxy, nodeHostIPs, type KubeProxyDeps } from './kubeProxy.ts';
export { ProxyMetrics } from './metrics.ts';
export { KUBE_PROXY_VERSION, defaultConfiguration, loadConfig, type KubeProxyConfiguration } from './options.ts';
export { Proxier, SERVICE_NAME_LABEL, probability, type ProxierOptions, type SyncResult } from './proxier.ts';
