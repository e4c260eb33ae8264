/**
 * The programs containers run, as TypeScript on the emulated kernel: each is a Program registered under
 * the name the catalogue's ELF stubs carry (`program=<name>`), and behaves and prints as the real binary
 * does — its messages, exit codes, signal handling and process tree — on the host's virtual clock. They
 * write through their process's stdio, burn CPU through the host's CFS scheduler, charge the memory they
 * touch to their cgroup (so the OOM killer can end them), sleep with timers their process owns, fork and
 * reap.
 *
 * Here: pause (registry.k8s.io/pause), GNU sleep, tini, stress 1.0.4 (polinux/stress), nginx 1.27 (the
 * master/worker process model and its logs), redis-server 7.4 (its logs, and RESP on its port) and
 * redis-cli, and the lab's own demo programs: zombie-maker, memory-hog, crash-looper, date-logger and
 * cpu-burner.
 *
 * For the HPA walkthrough, registry.k8s.io/hpa-example's Apache httpd 2.4 (prefork) and PHP 5.6
 * (./apache2): each request to index.php burns the CPU its loop costs, charged to the container's cgroup.
 *
 * The cluster's add-ons run here too: CoreDNS (./coredns) and kube-proxy (../proxy), which reach the
 * apiserver over the node network as client-go does (client/rest/socketTransport.ts) and, for
 * kube-proxy, program the node's netfilter rules (iptables-restore --noflush).
 *
 * Left out: shells and busybox (./shell, another piece), vish/stress's Go flags, etcd and the
 * control-plane binaries, and the nginx image's /docker-entrypoint.sh lines (a shell script: they come
 * from sh running it).
 */
import type { Host } from '../kernel/host.ts';
import type { ProgramRegistry } from '../kernel/exec.ts';
import { Apache2, PhpCli } from './apache2/index.ts';
import { CpuBurner } from './cpuBurner.ts';
import { CrashLooper } from './crashLooper.ts';
import { DateLogger } from './dateLogger.ts';
import { MemoryHog } from './memoryHog.ts';
import { Nginx } from './nginx.ts';
import { Apk } from './packages/apk.ts';
import { AptGet } from './packages/aptGet.ts';
import { Curl } from './packages/curl.ts';
import { Dpkg } from './packages/dpkg.ts';
import { Pause } from './pause.ts';
import { RedisCli } from './redisCli.ts';
import { RedisServer } from './redisServer.ts';
import { Sleep } from './sleep.ts';
import { Stress } from './stress.ts';
import { Tini } from './tini.ts';
import { ZombieMaker } from './zombieMaker.ts';
import { CoreDns } from './coredns/index.ts';
import { KubeProxy } from '../proxy/index.ts';
import { apiTransport } from '../client/rest/socketTransport.ts';
import { netfilterOf } from '../kernel/net/netfilter/netfilter.ts';

export { AddressSpace } from './addressSpace.ts';
export { CpuBurner } from './cpuBurner.ts';
export { CrashLooper } from './crashLooper.ts';
export { DATE_FORMAT, DateLogger } from './dateLogger.ts';
export { MemoryHog } from './memoryHog.ts';
export { NGINX_VERSION, Nginx } from './nginx.ts';
export { PAUSE_VERSION, Pause } from './pause.ts';
export { RedisCli } from './redisCli.ts';
export { REDIS_VERSION, RedisServer } from './redisServer.ts';
export { Sleep } from './sleep.ts';
export { Stress } from './stress.ts';
export { TINI_VERSION, Tini } from './tini.ts';
export { ZombieMaker } from './zombieMaker.ts';

/** Each program by the name its binaries' ELF stubs carry. */
export const PROGRAMS = {
  'pause': (host: Host) => new Pause(host),
  'sleep': (host: Host) => new Sleep(host),
  'tini': (host: Host) => new Tini(host),
  'stress': (host: Host) => new Stress(host),
  'nginx': (host: Host) => new Nginx(host),
  'redis-server': (host: Host) => new RedisServer(host),
  'redis-cli': (host: Host) => new RedisCli(host),
  'zombie-maker': (host: Host) => new ZombieMaker(host),
  'memory-hog': (host: Host) => new MemoryHog(host),
  'crash-looper': (host: Host) => new CrashLooper(host),
  'date-logger': (host: Host) => new DateLogger(host),
  'cpu-burner': (host: Host) => new CpuBurner(host),
  'apache2': (host: Host) => new Apache2(host),
  'php': (host: Host) => new PhpCli(host),
  'apk': (host: Host) => new Apk(host),
  'curl': (host: Host) => new Curl(host),
  'apt-get': (host: Host) => new AptGet(host),
  'apt': (host: Host) => new AptGet(host, true),
  'dpkg': (host: Host) => new Dpkg(host),
  'dpkg-query': (host: Host) => new Dpkg(host),
  'coredns': (host: Host) => new CoreDns(host, apiTransport(host)),
  'kube-proxy': (host: Host) => new KubeProxy(host, { apiTransport: apiTransport(host), apply: (netns) => (text) => netfilterOf(netns).restore(text, { noflush: true }) }),
} as const;

/** The names of the programs of this folder. */
export type ProgramName = keyof typeof PROGRAMS;

/** Register every program of this folder in `registry` (normally `host.programs`), bound to `host`. */
export function registerPrograms(registry: ProgramRegistry, host: Host): void {
  for (const [name, make] of Object.entries(PROGRAMS)) registry.register(name, () => make(host));
}
