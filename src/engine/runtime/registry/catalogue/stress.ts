/**
 * The two stress images the Kubernetes documentation uses for resource limits: polinux/stress (stress
 * 1.0.4 built on Alpine 3.10, `/usr/local/bin/stress`; the docs run `stress --vm 1 --vm-bytes 150M
 * --vm-hang 1`) and vish/stress (a Go program on an old busybox, `ENTRYPOINT ["/stress", "-logtostderr"]`;
 * the docs pass `-cpus 2`). Both are single-platform amd64 images with Docker v2 schema 2 manifests, as
 * pushed in their day.
 */
import type { Image } from '../../image/image.ts';
import { ALPINE_3_10, alpineBase } from './alpine.ts';
import { BUSYBOX_APPLETS, buildBusybox } from './busybox.ts';
import { ImageRecipe, once } from './imageRecipe.ts';
import { Rootfs } from './rootfs.ts';
import type { RegistryRepository } from '../registry.ts';

function polinuxStress(): Image {
  const base = alpineBase(ALPINE_3_10, 'amd64');
  const mtime = 1564617600;
  const layer = new Rootfs('amd64', mtime).binary('/usr/local/bin/stress', 'stress', 43_392)
    .binary('/bin/bash', 'bash', 1_008_456).library('/usr/lib/libreadline.so.8.0', 262_888).library('/usr/lib/libncursesw.so.6.1', 398_160)
    .file('/usr/local/share/info/stress.info', 'This is stress.info, produced by makeinfo.\n', { size: 11_872 })
    .file('/lib/apk/db/installed', 'P:bash\nV:5.0.0-r0\n', { size: 26_000 });
  return new ImageRecipe('amd64', '2019-08-01T00:00:00Z')
    .from(base)
    .note('/bin/sh -c #(nop)  ENV STRESS_VERSION=1.0.4')
    .layer('/bin/sh -c apk add --update bash g++ make curl &&   curl -o /tmp/stress-${STRESS_VERSION}.tgz https://fossies.org/linux/privat/stress-${STRESS_VERSION}.tar.gz &&   cd /tmp && tar xvf stress-${STRESS_VERSION}.tgz && rm /tmp/stress-${STRESS_VERSION}.tgz &&   cd /tmp/stress-${STRESS_VERSION} &&   ./configure && make -j$(getconf _NPROCESSORS_ONLN) && make install &&   apk del g++ make curl &&   rm -rf /tmp/* /var/tmp/* /var/cache/apk/*', layer.layer())
    .cmd('/usr/local/bin/stress')
    .build('docker');
}

function vishStress(): Image {
  const base = buildBusybox('amd64', '1.24.0', 1_004_624, 1454284800, BUSYBOX_APPLETS.filter((a) => !['ascii', 'crc32', 'mim', 'seedrng', 'tree', 'ts', 'tsort', 'xxd', 'getfattr', 'nuke', 'resume', 'run-init', 'base32', 'i2ctransfer', 'factor', 'fsfreeze', 'hexedit'].includes(a)));
  const layer = new Rootfs('amd64', 1457395200).binary('/stress', 'stress', 2_930_336);
  return new ImageRecipe('amd64', '2016-03-08T00:00:00Z')
    .from(base)
    .layer('/bin/sh -c #(nop) ADD file:stress in /stress', layer.layer())
    .entrypoint('/stress', '-logtostderr')
    .build('docker');
}

const polinux = once(polinuxStress);
const vish = once(vishStress);

/** docker.io/polinux/stress. */
export const polinuxStressRepository: RegistryRepository = { path: 'polinux/stress', tags: { latest: polinux, '1.0.4': polinux } };
/** docker.io/vish/stress. */
export const vishStressRepository: RegistryRepository = { path: 'vish/stress', tags: { latest: vish } };
