/**
 * /version — the build this lab's apiserver presents itself as: Kubernetes v1.32.4, the release the
 * lab's behaviour is checked against (and that the machine's kubectl matches).
 */
export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
} as const;

/** The health checks /healthz, /livez and /readyz run, in the order `?verbose` lists them. */
export const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers', 'poststarthook/rbac/bootstrap-roles'] as const;

/** The body of a health endpoint: "ok", or with `?verbose` one line per check. */
export function healthBody(endpoint: 'healthz' | 'livez' | 'readyz', verbose: boolean): string {
  if (!verbose) return 'ok';
  const lines = HEALTH_CHECKS.map((c) => `[+]${c} ok`);
  return `${lines.join('\n')}\n${endpoint} check passed\n`;
}
