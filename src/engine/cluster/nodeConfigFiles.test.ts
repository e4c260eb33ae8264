import { describe, expect, it } from 'vitest';
import { KUBEADM_CLUSTER } from './cluster.ts';
import { runHeadless } from './headless.ts';
import { Lab } from './lab.ts';
import { containerdConfigTOML, kubeletConfigYAML } from './nodeConfigFiles.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('node configuration files', () => {
  it('write the cgroup driver the kubelet and runc use', () => {
    expect(kubeletConfigYAML({ cgroupDriver: 'cgroupfs', clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' })).toMatch(/^cgroupDriver: cgroupfs\nclusterDNS:\n- 10\.96\.0\.10\nclusterDomain: cluster\.local\n/m);
    expect(containerdConfigTOML({ cgroupDriver: 'systemd', sandboxImage: 'registry.k8s.io/pause:3.10' })).toMatch(/sandbox_image = "registry\.k8s\.io\/pause:3\.10"[\s\S]*SystemdCgroup = true\n$/);
    expect(containerdConfigTOML({ cgroupDriver: 'cgroupfs', sandboxImage: 'p' })).toContain('SystemdCgroup = false');
  });

  it('are on a kubeadm worker, agreeing with the kubelet and containerd', async () => {
    const lab = new Lab({ cluster: KUBEADM_CLUSTER, seed: 1 });
    let stdout = '';
    const script = [
      'kubectl wait --for=condition=Ready node/worker-1 --timeout=120s > /dev/null',
      'ssh worker-1 grep -e cgroupDriver -e staticPodPath /var/lib/kubelet/config.yaml',
      'ssh worker-1 grep SystemdCgroup /etc/containerd/config.toml',
      "ssh worker-1 crictl info | grep '\"SystemdCgroup\"'",
    ].join('\n');
    const status = await runHeadless(lab, script, { yieldToHost, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : undefined) });
    expect({ status, stdout }).toEqual({
      status: 0,
      stdout: 'cgroupDriver: systemd\nstaticPodPath: /etc/kubernetes/manifests\n          SystemdCgroup = true\n            "SystemdCgroup": true\n',
    });
  });
});
