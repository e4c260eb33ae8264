/**
 * The offline catalogue — small, realistic stand-ins for the images a Kubernetes course pulls, served by
 * `createRegistries()` from docker.io and registry.k8s.io: busybox, alpine, debian (and bookworm-slim),
 * ubuntu, nginx (Debian and Alpine), httpd, redis, python (slim), node (slim), polinux/stress, vish/stress,
 * and the v1.32.4 control-plane images. Each image is data (one module per image or family), built on
 * first request and cached, with base layers shared where the real images share them; file contents are
 * real where a lesson reads them (configs, scripts, account and package databases) and binaries are
 * sparse stand-ins with their real sizes.
 * Left out: the thousands of files of a real distribution that no lesson reads, attestation manifests in
 * the indexes, architectures other than amd64 and arm64.
 */
import { Registries, Registry } from '../registry.ts';
import { alpineRepository } from './alpine.ts';
import { busyboxRepository } from './busybox.ts';
import { debianRepository } from './debian.ts';
import { hpaExampleRepository } from './hpaExample.ts';
import { httpdRepository, nodeRepository, pythonRepository, redisRepository } from './debianApps.ts';
import { kubernetesRepositories } from './kubernetes.ts';
import { nginxRepository } from './nginx.ts';
import { polinuxStressRepository, vishStressRepository } from './stress.ts';
import { ubuntuRepository } from './ubuntu.ts';

/** The repositories of docker.io. */
export const dockerHubRepositories = [
  alpineRepository,
  busyboxRepository,
  debianRepository,
  httpdRepository,
  nginxRepository,
  nodeRepository,
  pythonRepository,
  redisRepository,
  ubuntuRepository,
  polinuxStressRepository,
  vishStressRepository,
];

/** docker.io and registry.k8s.io with the catalogue. Cheap: nothing is built until a pull asks. */
export function createRegistries(): Registries {
  return new Registries([
    new Registry('docker.io', dockerHubRepositories, { unknownRepository: 'DENIED' }),
    new Registry('registry.k8s.io', [...kubernetesRepositories, hpaExampleRepository], { unknownRepository: 'NAME_UNKNOWN' }),
  ]);
}

export { kubernetesRepositories } from './kubernetes.ts';
export { binaryHead, type Arch } from './rootfs.ts';
