/**
 * The Service environment variables (pkg/kubelet/envvars/envvars.go FromServices, 1.32): for each Service
 * with a cluster IP (set, and not `None`), `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT` (the first port),
 * `<NAME>_SERVICE_PORT_<PORTNAME>` for each named port, then the Docker link variables: `<NAME>_PORT`
 * (the first port as `tcp://ip:port`) and, per port, `<NAME>_PORT_<port>_<PROTO>` with its `_PROTO`,
 * `_PORT` and `_ADDR`. Names are upper-cased with `-` as `_`; an IPv6 address is bracketed in URLs.
 */
import type { Service } from 'kubernetes-types/core/v1';

/** One variable, as v1.EnvVar with a plain value. */
export interface EnvVar {
  name: string;
  value: string;
}

/** v1helper.IsServiceIPSet: the cluster IP is set and not `None` (headless). */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec?.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/** makeEnvVariableName: upper case, `-` as `_`. */
function makeEnvVariableName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** makeLinkVariables: the Docker-compatible link variables of every port. */
function makeLinkVariables(service: Service): EnvVar[] {
  const prefix = makeEnvVariableName(service.metadata?.name ?? '');
  const ip = service.spec?.clusterIP ?? '';
  const all: EnvVar[] = [];
  (service.spec?.ports ?? []).forEach((sp, i) => {
    const protocol = sp.protocol || 'TCP';
    const url = `${protocol.toLowerCase()}://${joinHostPort(ip, sp.port)}`;
    if (i === 0) all.push({ name: `${prefix}_PORT`, value: url });
    const portPrefix = `${prefix}_PORT_${sp.port}_${protocol.toUpperCase()}`;
    all.push(
      { name: portPrefix, value: url },
      { name: `${portPrefix}_PROTO`, value: protocol.toLowerCase() },
      { name: `${portPrefix}_PORT`, value: String(sp.port) },
      { name: `${portPrefix}_ADDR`, value: ip },
    );
  });
  return all;
}

/**
 * FromServices: the variables of `services` in order, headless ones and those without a cluster IP
 * skipped. Validation gives every Service with a cluster IP at least one port (only the first may be
 * unnamed); one without ports gets its `_SERVICE_HOST` alone.
 */
export function fromServices(services: readonly Service[]): EnvVar[] {
  const result: EnvVar[] = [];
  for (const service of services) {
    if (!isServiceIPSet(service)) continue;
    const prefix = makeEnvVariableName(service.metadata?.name ?? '');
    result.push({ name: `${prefix}_SERVICE_HOST`, value: service.spec?.clusterIP ?? '' });
    const ports = service.spec?.ports ?? [];
    if (ports.length === 0) continue;
    const portName = `${prefix}_SERVICE_PORT`;
    result.push({ name: portName, value: String(ports[0]!.port) });
    for (const sp of ports) if (sp.name) result.push({ name: `${portName}_${makeEnvVariableName(sp.name)}`, value: String(sp.port) });
    result.push(...makeLinkVariables(service));
  }
  return result;
}
