/**
 * The configuration files `kubeadm join` and the node image leave on a full node, so that a student can
 * read what the node's kubelet and containerd were told: the KubeletConfiguration at
 * /var/lib/kubelet/config.yaml (the kubelet's `--config`, written by kubeadm from the cluster's
 * kubelet-config ConfigMap) and containerd's /etc/containerd/config.toml (the CRI plugin's sandbox image
 * and runc's SystemdCgroup option).
 *
 * Contract: the text is what kubeadm 1.32 and a kubeadm-prepared containerd 1.7 write, with the values the
 * lab's node really runs with (its cgroup driver, cluster DNS and domain); nothing reads these files back,
 * so they must be built from the same values that configure the node's Kubelet and Containerd.
 */
import type { CgroupDriver } from '../kernel/cgroup/cgroupDriver.ts';

export const KUBELET_CONFIG_PATH = '/var/lib/kubelet/config.yaml';
export const CONTAINERD_CONFIG_PATH = '/etc/containerd/config.toml';

/** /var/lib/kubelet/config.yaml as kubeadm 1.32 writes it (its defaults; resolvConf without systemd-resolved). */
export function kubeletConfigYAML(o: { cgroupDriver: CgroupDriver; clusterDNS: readonly string[]; clusterDomain: string }): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: ${o.cgroupDriver}
clusterDNS:
${o.clusterDNS.map((ip) => `- ${ip}\n`).join('')}clusterDomain: ${o.clusterDomain}
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /etc/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;
}

/** /etc/containerd/config.toml: only what differs from containerd's defaults, as kubeadm's setup guide has it. */
export function containerdConfigTOML(o: { cgroupDriver: CgroupDriver; sandboxImage: string }): string {
  return `version = 2

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "${o.sandboxImage}"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      default_runtime_name = "runc"
      snapshotter = "overlayfs"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          SystemdCgroup = ${o.cgroupDriver === 'systemd'}
`;
}
