/**
 * registry.k8s.io — the images a kubeadm cluster of Kubernetes v1.32.4 (the lab's version) pulls: pause:3.10 (the sandbox's
 * `/pause`, USER 65535:65535), coredns/coredns:v1.11.3 (on distroless static-debian11, `/coredns`, EXPOSE
 * 53 53/udp), etcd:3.5.16-0 (etcd, etcdctl, etcdutl and the migration helpers) and kube-apiserver,
 * kube-controller-manager, kube-scheduler (go-runner on distroless static-debian12, the binary in
 * /usr/local/bin) and kube-proxy (on distroless-iptables, with iptables and conntrack). All multi-platform.
 */
import { ImageIndex, type Image } from '../../image/image.ts';
import { ImageRecipe, once, perArch } from './imageRecipe.ts';
import { Rootfs, triplet, type Arch } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';
import { KUBERNETES_VERSION } from '../../../apiserver/version.ts';

/** The control-plane images' tag: the lab's Kubernetes version, as kubeadm pulls it. */
const KUBE_TAG = KUBERNETES_VERSION.gitVersion;
/** When v1.32.4's images were built (its release day), as their config and files carry it. */
const KUBE_BUILT = '2025-04-22T00:00:00Z';
const KUBE_BUILT_EPOCH = 1745280000;

const DISTROLESS_PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n';
const DISTROLESS_GROUP = 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n';

/** gcr.io/distroless/static-<debian>: accounts, CA certificates, tzdata, os-release; no shell. */
function distroless(arch: Arch, debian: '11' | '12', mtime: number): Image {
  const fs = new Rootfs(arch, mtime)
    .file('/etc/passwd', DISTROLESS_PASSWD).file('/etc/group', DISTROLESS_GROUP).file('/etc/nsswitch.conf', 'hosts: files dns\n')
    .file('/etc/os-release', `PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="${debian}"\nVERSION="Debian GNU/Linux ${debian} (${debian === '11' ? 'bullseye' : 'bookworm'})"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\nSUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"\nBUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"\n`)
    .file('/etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----\n', { size: 213_777 })
    .file('/usr/share/zoneinfo/tzdata.zi', '# version 2024a\n', { size: 1_600_000 }).file('/usr/share/zoneinfo/Etc/UTC', 'TZif2', { size: 114 })
    .dir('/home/nonroot', { mode: 0o700, uid: 65532, gid: 65532 }).dir('/root', { mode: 0o700 }).dir('/tmp', { mode: 0o1777 })
    .file('/var/lib/dpkg/status.d/base-files', 'Package: base-files\nVersion: 12.4+deb12u8\n').file('/var/lib/dpkg/status.d/tzdata', 'Package: tzdata\nVersion: 2024a-0+deb12u1\n');
  const created = new Date(mtime * 1000).toISOString().replace('.000Z', 'Z');
  return new ImageRecipe(arch, created).layer('bazel build ...', fs.layer()).build();
}

const distroless12 = perArch((arch) => distroless(arch, '12', 1717200000));
const distroless11 = perArch((arch) => distroless(arch, '11', 1704067200));

/** registry.k8s.io/build-image/go-runner on distroless static-debian12: what kube-* images are built FROM. */
const goRunner = perArch((arch) =>
  new ImageRecipe(arch, '2024-06-13T00:00:00Z')
    .from(distroless12(arch))
    .copy('/workspace/go-runner /go-runner', new Rootfs(arch, 1718236800).binary('/go-runner', 'go-runner', 1_437_880).layer())
    .entrypoint('/go-runner')
    .build(),
);

function kubeBinary(name: string, size: number) {
  return perArch((arch) =>
    new ImageRecipe(arch, KUBE_BUILT)
      .from(goRunner(arch))
      .copy(`${name} /usr/local/bin/${name}`, new Rootfs(arch, KUBE_BUILT_EPOCH).binary(`/usr/local/bin/${name}`, name, size).layer({ compressionRatio: 0.31 }))
      .build(),
  );
}

const kubeApiserver = kubeBinary('kube-apiserver', 93_429_912);
const kubeControllerManager = kubeBinary('kube-controller-manager', 86_683_800);
const kubeScheduler = kubeBinary('kube-scheduler', 66_523_288);

const kubeProxy = perArch((arch) => {
  const lib = `/usr/lib/${triplet(arch)}`;
  const iptables = new Rootfs(arch, 1733270400)
    .binary('/usr/sbin/xtables-nft-multi', 'iptables', 227_000).binary('/usr/sbin/xtables-legacy-multi', 'iptables', 99_000)
    .binary('/usr/sbin/conntrack', 'conntrack', 109_000).binary('/usr/sbin/ipset', 'ipset', 15_000)
    .binary('/usr/sbin/iptables-wrapper', 'iptables-wrapper', 2_100_000).binary('/bin/sh', 'dash', 125_640)
    .library(`${lib}/libc.so.6`, 1_922_136).library(`${lib}/libnftnl.so.11.6.0`, 116_000).library(`${lib}/libxtables.so.12.6.0`, 72_000)
    .library(`${lib}/libmnl.so.0.2.0`, 23_000).library(`${lib}/libnetfilter_conntrack.so.3.8.0`, 92_000).library(`${lib}/libipset.so.13.5.0`, 139_000);
  for (const name of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) iptables.symlink(`/usr/sbin/${name}`, 'iptables-wrapper');
  for (const name of ['iptables-nft', 'iptables-nft-save', 'iptables-nft-restore', 'ip6tables-nft', 'ip6tables-nft-save', 'ip6tables-nft-restore']) iptables.symlink(`/usr/sbin/${name}`, 'xtables-nft-multi');
  for (const name of ['iptables-legacy', 'iptables-legacy-save', 'iptables-legacy-restore', 'ip6tables-legacy', 'ip6tables-legacy-save', 'ip6tables-legacy-restore']) iptables.symlink(`/usr/sbin/${name}`, 'xtables-legacy-multi');
  return new ImageRecipe(arch, '2024-12-03T00:00:00Z')
    .from(distroless12(arch))
    .copy('--from=intermediate / /', iptables.layer({ compressionRatio: 0.4 }))
    .at(KUBE_BUILT)
    .copy('kube-proxy /usr/local/bin/kube-proxy', new Rootfs(arch, KUBE_BUILT_EPOCH).binary('/usr/local/bin/kube-proxy', 'kube-proxy', 67_526_808).layer({ compressionRatio: 0.31 }))
    .build();
});

const pause = perArch((arch) =>
  new ImageRecipe(arch, '2024-05-14T00:00:00Z')
    .copy('bin/pause-linux-' + arch + ' /pause', new Rootfs(arch, 1715644800).binary('/pause', 'pause', 713_816).layer({ compressionRatio: 0.44 }))
    .user('65535:65535')
    .entrypoint('/pause')
    .build(),
);

const coredns = perArch((arch) =>
  new ImageRecipe(arch, '2024-08-08T00:00:00Z')
    .from(distroless11(arch))
    .copy('/etc/ssl/certs /etc/ssl/certs', new Rootfs(arch, 1723075200).file('/etc/ssl/certs/ca-certificates.crt', '-----BEGIN CERTIFICATE-----\n', { size: 219_342 }).layer())
    .copy('coredns /coredns', new Rootfs(arch, 1723075200).binary('/coredns', 'coredns', 59_179_192).layer({ compressionRatio: 0.3 }))
    .user('nonroot:nonroot')
    .expose('53/tcp', '53/udp')
    .entrypoint('/coredns')
    .build(),
);

const etcd = perArch((arch) => {
  const fs = new Rootfs(arch, 1727049600)
    .binary('/usr/local/bin/etcd', 'etcd', 23_994_520).binary('/usr/local/bin/etcdctl', 'etcdctl', 18_199_704).binary('/usr/local/bin/etcdutl', 'etcdutl', 16_277_656)
    .binary('/usr/local/bin/etcd-3.4.33', 'etcd', 23_547_904).binary('/usr/local/bin/etcdctl-3.4.33', 'etcdctl', 17_658_000)
    .binary('/usr/local/bin/etcd-3.5.16', 'etcd', 23_994_520).binary('/usr/local/bin/migrate', 'migrate', 23_986_000)
    .file('/usr/local/bin/migrate-if-needed.sh', '#!/bin/sh\n\n# This script performs etcd upgrade based on the following environmental\n# variables:\n# TARGET_STORAGE - API of etcd to be used (supported: \'etcd3\')\n# TARGET_VERSION - etcd release to be used (supported: \'3.0.17\', \'3.1.12\',\n#                  \'3.2.24\', "3.3.17", "3.4.18", "3.5.16")\nexec /usr/local/bin/migrate "$@"\n', { mode: 0o755 })
    .binary('/bin/sh', 'dash', 125_640);
  return new ImageRecipe(arch, '2024-09-23T00:00:00Z')
    .from(distroless12(arch))
    .copy('etcd* etcdctl* /usr/local/bin/', fs.layer({ compressionRatio: 0.37 }))
    .expose('2379/tcp', '2380/tcp', '4001/tcp', '7001/tcp')
    .build();
});

function multi(image: (arch: Arch) => Image): () => ImageIndex {
  return once(() => new ImageIndex([image('amd64'), image('arm64')]));
}

/** The repositories of registry.k8s.io the catalogue serves. */
export const kubernetesRepositories: RegistryRepository[] = [
  { path: 'pause', tags: { '3.10': multi(pause) } },
  { path: 'coredns/coredns', tags: { 'v1.11.3': multi(coredns) } },
  { path: 'etcd', tags: { '3.5.16-0': multi(etcd) } },
  { path: 'kube-apiserver', tags: { [KUBE_TAG]: multi(kubeApiserver) } },
  { path: 'kube-controller-manager', tags: { [KUBE_TAG]: multi(kubeControllerManager) } },
  { path: 'kube-scheduler', tags: { [KUBE_TAG]: multi(kubeScheduler) } },
  { path: 'kube-proxy', tags: { [KUBE_TAG]: multi(kubeProxy) } },
];
