/**
 * Pods — the pod checks of pkg/apis/core/validation (Kubernetes 1.32): `ValidatePodSpec` (containers,
 * init containers, ports, env, resources, probes, lifecycle, volumes and mounts, restart and DNS
 * policy, node selector, tolerations, affinity, topology spread, security context IDs, hostname,
 * subdomain, deadlines), `ValidatePodTemplateSpec` for the workloads, `ValidatePodCreate` and
 * `ValidatePodUpdate` (only images, activeDeadlineSeconds, added tolerations and a negative grace
 * period set to 1 may change).
 *
 * Contract: paths and messages are upstream's. The update rejection carries upstream's exact first
 * line; the diff after it is a simplified rendering of `cmp.Diff(old, new)` (top-level PodSpec fields
 * only, values as JSON), since go-cmp's output is deliberately unstable.
 *
 * Left out: seccomp/AppArmor annotations versus fields, sysctls,
 * capabilities, Windows options, resource claims, pod-level resources, in-place resize.
 */
import type {
  Affinity,
  Container,
  ContainerPort,
  EnvFromSource,
  EnvVar,
  Lifecycle,
  LifecycleHandler,
  NodeSelector,
  NodeSelectorTerm,
  Pod,
  PodAffinityTerm,
  PodSpec,
  PodTemplateSpec,
  Probe,
  SecurityContext,
  Toleration,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import {
  inclusiveRangeError,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  isValidGroupID,
} from './formats.ts';
import { nameIsDNSSubdomain, semanticEqual, validateDNS1123Label, validateNonnegativeField, validateQualifiedName } from './generic.ts';
import { validateLabelName, validateLabels, validateLabelSelector } from './labels.ts';
import { validateAnnotations } from './objectMeta.ts';
import { validateResourceRequirements } from './resources.ts';
import { validateKeySelector, validateVolumeMounts, validateVolumes } from './volumes.ts';

const MaxInt32 = 2147483647;
const isNotPositiveErrorMsg = 'must be greater than zero';

const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const httpSchemes = ['HTTP', 'HTTPS'];
const envFieldPaths = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const subscriptedFieldPath = /^(metadata\.(?:annotations|labels))\['(.*)'\]$/;

// ---- ports, env ----

function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const idx = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) for (const m of msgs) errs.push(field.invalid(idx.child('name'), port.name, m));
      else if (names.has(port.name)) errs.push(field.duplicate(idx.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(field.required(idx.child('containerPort'), ''));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(field.invalid(idx.child('containerPort'), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(field.invalid(idx.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(field.required(idx.child('protocol'), ''));
    else if (!supportedPortProtocols.includes(port.protocol)) errs.push(field.notSupported(idx.child('protocol'), port.protocol, supportedPortProtocols));
  });
  return errs;
}

/** checkHostPortConflicts / AccumulateUniqueHostPorts. */
function checkHostPortConflicts(containers: readonly Container[], path: Path, seen: Set<string> = new Set()): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((ctr, ci) => {
    (ctr.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.hostIP ?? ''}/${p.protocol ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

function validateEnv(vars: readonly EnvVar[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const idx = path.index(i);
    if (!ev.name) errs.push(field.required(idx.child('name'), ''));
    for (const m of isRelaxedEnvVarName(ev.name ?? '')) errs.push(field.invalid(idx.child('name'), ev.name ?? '', m));
    errs.push(...validateEnvVarValueFrom(ev, idx.child('valueFrom')));
  });
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, path: Path): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let n = 0;
  if (from.fieldRef) {
    n++;
    const fp = path.child('fieldRef');
    const fs = from.fieldRef;
    if (!fs.apiVersion) errs.push(field.required(fp.child('apiVersion'), ''));
    else if (!fs.fieldPath) errs.push(field.required(fp.child('fieldPath'), ''));
    else if (fs.apiVersion !== 'v1') errs.push(field.invalid(fp.child('fieldPath'), fs.fieldPath, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`));
    else {
      const sub = subscriptedFieldPath.exec(fs.fieldPath);
      if (sub) {
        const key = sub[1] === 'metadata.annotations' ? sub[2]!.toLowerCase() : sub[2]!;
        errs.push(...validateQualifiedName(key, fp));
      } else if (!envFieldPaths.includes(fs.fieldPath)) {
        errs.push(field.notSupported(fp.child('fieldPath'), fs.fieldPath, envFieldPaths));
      }
    }
  }
  if (from.resourceFieldRef) {
    n++;
    const rp = path.child('resourceFieldRef');
    const r = from.resourceFieldRef.resource;
    if (!r) errs.push(field.required(rp.child('resource'), ''));
    else if (!resourceFieldPaths.includes(r) && !r.startsWith('limits.hugepages-') && !r.startsWith('requests.hugepages-')) {
      errs.push(field.notSupported(rp.child('resource'), r, resourceFieldPaths));
    }
  }
  if (from.configMapKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.configMapKeyRef, path.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    n++;
    errs.push(...validateKeySelector(from.secretKeyRef, path.child('secretKeyRef')));
  }
  if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (ev.value) errs.push(field.invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

function validateEnvFrom(sources: readonly EnvFromSource[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((ev, i) => {
    const idx = path.index(i);
    if (ev.prefix) for (const m of isRelaxedEnvVarName(ev.prefix)) errs.push(field.invalid(idx.child('prefix'), ev.prefix, m));
    let n = 0;
    for (const [ref, key] of [
      [ev.configMapRef, 'configMapRef'],
      [ev.secretRef, 'secretRef'],
    ] as const) {
      if (!ref) continue;
      n++;
      const np = idx.child(key, 'name');
      if (!ref.name) errs.push(field.required(np, ''));
      else for (const m of nameIsDNSSubdomain(ref.name, true)) errs.push(field.invalid(np, ref.name, m));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

// ---- probes and lifecycle ----

type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket' | 'grpc'> & { sleep?: LifecycleHandler['sleep'] };

/** ValidatePortNumOrName. */
export function validatePortNumOrName(port: number | string | undefined, path: Path): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => field.invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  return [field.internal(path, new Error('unknown type: 0'))];
}

function validateHandler(h: Handler, gracePeriod: number | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const one = (key: string, check: () => FieldError[]) => {
    if (n > 0) errs.push(field.forbidden(path.child(key), 'may not specify more than 1 handler type'));
    else {
      n++;
      errs.push(...check());
    }
  };
  if (h.exec) one('exec', () => ((h.exec!.command ?? []).length === 0 ? [field.required(path.child('exec', 'command'), '')] : []));
  if (h.httpGet) {
    one('httpGet', () => {
      const g = h.httpGet!;
      const p = path.child('httpGet');
      const e: FieldError[] = [];
      if (!g.path) e.push(field.required(p.child('path'), ''));
      e.push(...validatePortNumOrName(g.port, p.child('port')));
      const scheme = g.scheme ?? '';
      if (!httpSchemes.includes(scheme)) e.push(field.notSupported(p.child('scheme'), scheme, httpSchemes));
      for (const hdr of g.httpHeaders ?? []) for (const m of isHTTPHeaderName(hdr.name)) e.push(field.invalid(p.child('httpHeaders'), hdr.name, m));
      return e;
    });
  }
  if (h.tcpSocket) one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, path.child('tcpSocket', 'port')));
  if (h.grpc) one('grpc', () => isValidPortNum(h.grpc!.port).map((m) => field.invalid(path.child('grpc', 'port'), h.grpc!.port, m)));
  if (h.sleep) {
    one('sleep', () => {
      const s = h.sleep!.seconds;
      const gp = gracePeriod ?? 30;
      return s <= 0 || s > gp
        ? [field.invalid(path.child('sleep'), s, `must be greater than 0 and less than terminationGracePeriodSeconds (${gp}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`)]
        : [];
    });
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe, gracePeriod, path);
  errs.push(...validateNonnegativeField(probe.initialDelaySeconds ?? 0, path.child('initialDelaySeconds')));
  errs.push(...validateNonnegativeField(probe.timeoutSeconds ?? 0, path.child('timeoutSeconds')));
  errs.push(...validateNonnegativeField(probe.periodSeconds ?? 0, path.child('periodSeconds')));
  errs.push(...validateNonnegativeField(probe.successThreshold ?? 0, path.child('successThreshold')));
  errs.push(...validateNonnegativeField(probe.failureThreshold ?? 0, path.child('failureThreshold')));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errs;
}

function validateLivenessOrStartupProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  if ((probe.successThreshold ?? 1) !== 1) errs.push(field.invalid(path.child('successThreshold'), probe.successThreshold, 'must be 1'));
  return errs;
}

function validateReadinessProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  if (probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errs;
}

function validateLifecycle(lc: Lifecycle | undefined, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!lc) return [];
  const errs: FieldError[] = [];
  if (lc.postStart) errs.push(...validateHandler(lc.postStart, gracePeriod, path.child('postStart')));
  if (lc.preStop) errs.push(...validateHandler(lc.preStop, gracePeriod, path.child('preStop')));
  return errs;
}

function validateSecurityContext(sc: SecurityContext | undefined, path: Path): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) for (const m of isValidUserID(sc.runAsUser)) errs.push(field.invalid(path.child('runAsUser'), sc.runAsUser, m));
  if (sc.runAsGroup !== undefined) for (const m of isValidGroupID(sc.runAsGroup)) errs.push(field.invalid(path.child('runAsGroup'), sc.runAsGroup, m));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (sc.capabilities?.add?.includes('CAP_SYS_ADMIN') || sc.capabilities?.add?.includes('SYS_ADMIN')) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

// ---- containers ----

function validateContainerCommon(ctr: Container, volumes: ReadonlySet<string>, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = path.child('name');
  if (!ctr.name) errs.push(field.required(namePath, ''));
  else errs.push(...validateDNS1123Label(ctr.name, namePath));
  if (!ctr.image) errs.push(field.required(path.child('image'), ''));
  const devices = new Set((ctr.volumeDevices ?? []).map((d) => d.name));
  errs.push(...validateContainerPorts(ctr.ports, path.child('ports')));
  errs.push(...validateEnv(ctr.env, path.child('env')));
  errs.push(...validateEnvFrom(ctr.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, devices, path.child('volumeMounts')));
  (ctr.volumeDevices ?? []).forEach((d, i) => {
    const dp = path.child('volumeDevices').index(i);
    if (!d.name) errs.push(field.required(dp.child('name'), ''));
    if (!d.devicePath) errs.push(field.required(dp.child('devicePath'), ''));
  });
  const policy = ctr.imagePullPolicy ?? '';
  if (!policy) errs.push(field.required(path.child('imagePullPolicy'), ''));
  else if (!pullPolicies.includes(policy)) errs.push(field.notSupported(path.child('imagePullPolicy'), policy, pullPolicies));
  errs.push(...validateResourceRequirements(ctr.resources, path.child('resources')));
  errs.push(...validateSecurityContext(ctr.securityContext, path.child('securityContext')));
  return errs;
}

function validateContainers(containers: readonly Container[] | undefined, volumes: ReadonlySet<string>, gracePeriod: number | undefined, path: Path): FieldError[] {
  if (!containers || containers.length === 0) return [field.required(path, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((ctr, i) => {
    const idx = path.index(i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    if (names.has(ctr.name)) errs.push(field.duplicate(idx.child('name'), ctr.name));
    else names.add(ctr.name);
    errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, idx.child('lifecycle')));
    errs.push(...validateLivenessOrStartupProbe(ctr.livenessProbe, gracePeriod, idx.child('livenessProbe')));
    errs.push(...validateReadinessProbe(ctr.readinessProbe, gracePeriod, idx.child('readinessProbe')));
    errs.push(...validateLivenessOrStartupProbe(ctr.startupProbe, gracePeriod, idx.child('startupProbe')));
    if (ctr.restartPolicy !== undefined) errs.push(field.forbidden(idx.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

/**
 * Ephemeral containers' fields by Go name (EphemeralContainerCommon) and whether one may set them
 * (allowedEphemeralContainerFields): they must not be relied on for the pod's own service, so no ports,
 * probes, lifecycle or resources.
 */
const ephemeralContainerFields: readonly [keyof Container, boolean][] = [
  ['name', true],
  ['image', true],
  ['command', true],
  ['args', true],
  ['workingDir', true],
  ['ports', false],
  ['envFrom', true],
  ['env', true],
  ['resources', false],
  ['resizePolicy', false],
  ['restartPolicy', false],
  ['volumeMounts', true],
  ['volumeDevices', true],
  ['livenessProbe', false],
  ['readinessProbe', false],
  ['startupProbe', false],
  ['lifecycle', false],
  ['terminationMessagePath', true],
  ['terminationMessagePolicy', true],
  ['imagePullPolicy', true],
  ['securityContext', true],
  ['stdin', true],
  ['stdinOnce', true],
  ['tty', true],
];

/** Whether a field holds Go's zero value (absent, empty list or map, false, 0, ""). */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isZero);
  return false;
}

/**
 * validateEphemeralContainers: each a valid container, named uniquely across all the pod's containers,
 * targeting an existing non-ephemeral container, with only the allowed fields and no subPath mounts.
 */
function validateEphemeralContainers(spec: PodSpec, volumes: ReadonlySet<string>, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  const all = new Set(others);
  (spec.ephemeralContainers ?? []).forEach((ec, i) => {
    const idx = path.index(i);
    const { targetContainerName, ...common } = ec;
    errs.push(...validateContainerCommon(common, volumes, idx));
    if (all.has(ec.name)) errs.push(field.duplicate(idx.child('name'), ec.name));
    else all.add(ec.name);
    if (targetContainerName && !others.has(targetContainerName)) errs.push(field.notFound(idx.child('targetContainerName'), targetContainerName));
    for (const [name, allowed] of ephemeralContainerFields) {
      if (!allowed && !isZero(common[name])) errs.push(field.forbidden(idx.child(name), 'cannot be set for an Ephemeral Container'));
    }
    (ec.volumeMounts ?? []).forEach((vm, vi) => {
      if (vm.subPath) errs.push(field.forbidden(idx.child('volumeMounts').index(vi).child('subPath'), 'cannot be set for an Ephemeral Container'));
      if (vm.subPathExpr) errs.push(field.forbidden(idx.child('volumeMounts').index(vi).child('subPathExpr'), 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

function validateInitContainers(
  containers: readonly Container[] | undefined,
  regular: readonly Container[] | undefined,
  volumes: ReadonlySet<string>,
  gracePeriod: number | undefined,
  path: Path,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (containers ?? []).forEach((ctr, i) => {
    const idx = path.index(i);
    errs.push(...validateContainerCommon(ctr, volumes, idx));
    let restartAlways = false;
    if (ctr.restartPolicy !== undefined) {
      if (ctr.restartPolicy !== 'Always') errs.push(field.notSupported(idx.child('restartPolicy'), ctr.restartPolicy, ['Always']));
      restartAlways = ctr.restartPolicy === 'Always';
    }
    if (names.has(ctr.name)) errs.push(field.duplicate(idx.child('name'), ctr.name));
    else if (ctr.name) names.add(ctr.name);
    errs.push(...checkHostPortConflicts([ctr], path));
    if (restartAlways) {
      errs.push(...validateLifecycle(ctr.lifecycle, gracePeriod, idx.child('lifecycle')));
      errs.push(...validateLivenessOrStartupProbe(ctr.livenessProbe, gracePeriod, idx.child('livenessProbe')));
      errs.push(...validateReadinessProbe(ctr.readinessProbe, gracePeriod, idx.child('readinessProbe')));
      errs.push(...validateLivenessOrStartupProbe(ctr.startupProbe, gracePeriod, idx.child('startupProbe')));
    } else {
      const without = 'may not be set for init containers without restartPolicy=Always';
      if (ctr.lifecycle) errs.push(field.forbidden(idx.child('lifecycle'), without));
      if (ctr.livenessProbe) errs.push(field.forbidden(idx.child('livenessProbe'), without));
      if (ctr.readinessProbe) errs.push(field.forbidden(idx.child('readinessProbe'), 'may not be set for init containers'));
      if (ctr.startupProbe) errs.push(field.forbidden(idx.child('startupProbe'), without));
    }
  });
  return errs;
}

// ---- scheduling ----

/** ValidateTolerations. */
export function validateTolerations(tolerations: readonly Toleration[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const idx = path.index(i);
    const key = t.key ?? '';
    const op = t.operator ?? '';
    const value = t.value ?? '';
    if (key) errs.push(...validateLabelName(key, idx.child('key')));
    if (!key && op !== 'Exists') {
      errs.push(field.invalid(idx.child('operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(field.invalid(idx.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (op) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length > 0) errs.push(field.invalid(idx.child('operator'), value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value) errs.push(field.invalid(idx.child('operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(field.notSupported(idx.child('operator'), op, ['Equal', 'Exists']));
    }
    if (t.effect) errs.push(...validateTaintEffect(t.effect, true, idx.child('effect')));
  });
  return errs;
}

/** validateTaintEffect. */
export function validateTaintEffect(effect: string, allowEmpty: boolean, path: Path): FieldError[] {
  if (!allowEmpty && !effect) return [field.required(path, '')];
  return taintEffects.includes(effect) ? [] : [field.notSupported(path, effect, taintEffects)];
}

function validateNodeSelectorTerm(term: NodeSelectorTerm, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((rq, j) => {
    const p = path.child('matchExpressions').index(j);
    const values = rq.values ?? [];
    switch (rq.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      case 'Gt':
      case 'Lt':
        if (values.length !== 1) errs.push(field.required(p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
        break;
      default:
        errs.push(field.invalid(p.child('operator'), rq.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(rq.key, p.child('key')));
  });
  (term.matchFields ?? []).forEach((rq, j) => {
    const p = path.child('matchFields').index(j);
    if (rq.key !== 'metadata.name') errs.push(field.invalid(p.child('key'), rq.key, 'not a valid field selector key'));
    if (rq.operator !== 'In' && rq.operator !== 'NotIn') errs.push(field.invalid(p.child('operator'), rq.operator, 'not a valid selector operator'));
    if ((rq.values ?? []).length !== 1) errs.push(field.required(p.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  });
  return errs;
}

function validateNodeSelector(ns: NodeSelector, path: Path): FieldError[] {
  const termPath = path.child('nodeSelectorTerms');
  if ((ns.nodeSelectorTerms ?? []).length === 0) return [field.required(termPath, 'must have at least one node selector term')];
  return ns.nodeSelectorTerms.flatMap((t, i) => validateNodeSelectorTerm(t, termPath.index(i)));
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: Path): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, path.child('labelSelector'));
  errs.push(...validateLabelSelector(term.namespaceSelector, path.child('namespaceSelector')));
  for (const ns of term.namespaces ?? []) for (const m of nameIsDNSSubdomain(ns, false)) errs.push(field.invalid(path.child('namespace'), ns, m));
  if (!term.topologyKey) errs.push(field.required(path.child('topologyKey'), 'can not be empty'));
  else errs.push(...validateLabelName(term.topologyKey, path.child('topologyKey')));
  return errs;
}

function validateAffinity(aff: Affinity | undefined, path: Path): FieldError[] {
  if (!aff) return [];
  const errs: FieldError[] = [];
  const na = aff.nodeAffinity;
  if (na) {
    const np = path.child('nodeAffinity');
    if (na.requiredDuringSchedulingIgnoredDuringExecution) {
      errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, np.child('requiredDuringSchedulingIgnoredDuringExecution')));
    }
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = np.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      if (t.weight <= 0 || t.weight > 100) errs.push(field.invalid(p.child('weight'), t.weight, 'must be in the range 1-100'));
      errs.push(...validateNodeSelectorTerm(t.preference, p.child('preference')));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = aff[kind];
    if (!pa) continue;
    const pp = path.child(kind);
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errs.push(...validatePodAffinityTerm(t, pp.child('requiredDuringSchedulingIgnoredDuringExecution').index(i)));
    });
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const p = pp.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      if (t.weight <= 0 || t.weight > 100) errs.push(field.invalid(p.child('weight'), t.weight, 'must be in the range 1-100'));
      errs.push(...validatePodAffinityTerm(t.podAffinityTerm, p.child('podAffinityTerm')));
    });
  }
  return errs;
}

function validateTopologySpreadConstraints(constraints: readonly TopologySpreadConstraint[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (constraints ?? []).forEach((c, i) => {
    const p = path.index(i);
    if (c.maxSkew <= 0) errs.push(field.invalid(p.child('maxSkew'), c.maxSkew, isNotPositiveErrorMsg));
    if (!c.topologyKey) errs.push(field.required(p.child('topologyKey'), 'can not be empty'));
    else errs.push(...validateLabelName(c.topologyKey, p.child('topologyKey')));
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      errs.push(field.notSupported(p.child('whenUnsatisfiable'), c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    const key = `{${c.topologyKey}, ${c.whenUnsatisfiable}}`;
    if (seen.has(key)) errs.push(field.duplicate(p, key));
    seen.add(key);
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(field.invalid(p.child('minDomains'), c.minDomains, isNotPositiveErrorMsg));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(field.invalid(p.child('minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
      }
    }
    errs.push(...validateLabelSelector(c.labelSelector, p.child('labelSelector')));
  });
  return errs;
}

// ---- pod spec ----

/** ValidatePodSpec. */
export function validatePodSpec(spec: PodSpec | undefined, path: Path): FieldError[] {
  const s = spec ?? ({ containers: [] } as PodSpec);
  const gracePeriod = s.terminationGracePeriodSeconds;
  const { errs, names: volumes } = validateVolumes(s.volumes, path.child('volumes'));
  errs.push(...validateContainers(s.containers, volumes, gracePeriod, path.child('containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, volumes, gracePeriod, path.child('initContainers')));
  errs.push(...validateEphemeralContainers(s, volumes, path.child('ephemeralContainers')));
  if (s.hostNetwork) {
    for (const [list, key] of [
      [s.containers, 'containers'],
      [s.initContainers, 'initContainers'],
    ] as const) {
      (list ?? []).forEach((ctr, ci) => {
        (ctr.ports ?? []).forEach((port, pi) => {
          if (port.hostPort !== port.containerPort) {
            errs.push(field.invalid(path.child(key).index(ci).child('ports').index(pi).child('containerPort'), port.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
          }
        });
      });
    }
  }
  const rp = s.restartPolicy ?? '';
  if (!rp) errs.push(field.required(path.child('restartPolicy'), ''));
  else if (!restartPolicies.includes(rp)) errs.push(field.notSupported(path.child('restartPolicy'), rp, restartPolicies));
  const dp = s.dnsPolicy ?? '';
  if (!dp) errs.push(field.required(path.child('dnsPolicy'), ''));
  else if (!dnsPolicies.includes(dp)) errs.push(field.notSupported(path.child('dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  const psc = s.securityContext;
  if (psc) {
    const scp = path.child('securityContext');
    if (psc.fsGroup !== undefined) for (const m of isValidGroupID(psc.fsGroup)) errs.push(field.invalid(scp.child('fsGroup'), psc.fsGroup, m));
    if (psc.runAsUser !== undefined) for (const m of isValidUserID(psc.runAsUser)) errs.push(field.invalid(scp.child('runAsUser'), psc.runAsUser, m));
    if (psc.runAsGroup !== undefined) for (const m of isValidGroupID(psc.runAsGroup)) errs.push(field.invalid(scp.child('runAsGroup'), psc.runAsGroup, m));
    (psc.supplementalGroups ?? []).forEach((g, i) => {
      for (const m of isValidGroupID(g)) errs.push(field.invalid(scp.child('supplementalGroups').index(i), g, m));
    });
  }
  errs.push(...validateAffinity(s.affinity, path.child('affinity')));
  if (dp === 'None' && !s.dnsConfig) errs.push(field.required(path.child('dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (s.dnsConfig) {
    const cp = path.child('dnsConfig');
    const ns = s.dnsConfig.nameservers ?? [];
    if (dp === 'None' && ns.length === 0) errs.push(field.required(cp.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    if (ns.length > 3) errs.push(field.invalid(cp.child('nameservers'), ns, 'must not have more than 3 nameservers'));
    ns.forEach((n, i) => {
      if (isValidIP(n).length > 0) errs.push(field.invalid(cp.child('nameservers').index(i), n, 'must be valid IP address'));
    });
  }
  (s.readinessGates ?? []).forEach((g, i) => errs.push(...validateQualifiedName(g.conditionType, path.child('readinessGates').index(i).child('conditionType'))));
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  if (s.serviceAccountName) for (const m of nameIsDNSSubdomain(s.serviceAccountName, false)) errs.push(field.invalid(path.child('serviceAccountName'), s.serviceAccountName, m));
  if (s.nodeName) for (const m of nameIsDNSSubdomain(s.nodeName, false)) errs.push(field.invalid(path.child('nodeName'), s.nodeName, m));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MaxInt32)) {
    errs.push(field.invalid(path.child('activeDeadlineSeconds'), s.activeDeadlineSeconds, inclusiveRangeError(1, MaxInt32)));
  }
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, path.child('hostname')));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, path.child('subdomain')));
  if (s.tolerations && s.tolerations.length > 0) errs.push(...validateTolerations(s.tolerations, path.child('tolerations')));
  (s.hostAliases ?? []).forEach((ha, i) => {
    const hp = path.child('hostAliases').index(i);
    for (const m of isValidIP(ha.ip ?? '')) errs.push(field.invalid(hp.child('ip'), ha.ip ?? '', m));
    for (const h of ha.hostnames ?? []) for (const m of nameIsDNSSubdomain(h, false)) errs.push(field.invalid(hp.child('hostnames'), h, m));
  });
  if (s.priorityClassName) for (const m of nameIsDNSSubdomain(s.priorityClassName, false)) errs.push(field.invalid(path.child('priorityClassName'), s.priorityClassName, m));
  if (s.runtimeClassName != null) for (const m of nameIsDNSSubdomain(s.runtimeClassName, false)) errs.push(field.invalid(path.child('runtimeClassName'), s.runtimeClassName, m));
  if (s.preemptionPolicy != null && s.preemptionPolicy !== 'PreemptLowerPriority' && s.preemptionPolicy !== 'Never') {
    errs.push(field.notSupported(path.child('preemptionPolicy'), s.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  const gates = new Set<string>();
  (s.schedulingGates ?? []).forEach((g, i) => {
    const gp = path.child('schedulingGates').index(i).child('name');
    for (const m of isQualifiedName(g.name)) errs.push(field.invalid(gp, g.name, m));
    if (gates.has(g.name)) errs.push(field.duplicate(gp, g.name));
    gates.add(g.name);
  });
  return errs;
}

/** ValidatePodTemplateSpec: a workload's `spec.template` (labels checked at `<path>.labels`, as upstream). */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, path: Path): FieldError[] {
  const t = template ?? {};
  const errs = validateLabels(t.metadata?.labels, path.child('labels'));
  errs.push(...validateAnnotations(t.metadata?.annotations, path.child('annotations')));
  errs.push(...validatePodSpec(t.spec, path.child('spec')));
  if ((t.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(field.forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

const specPath = Path.of('spec');

/** The checks of validatePodMetadataAndSpec past ObjectMeta. */
function validatePodSpecForPod(pod: Pod): FieldError[] {
  const spec = pod.spec;
  const errs = validatePodSpec(spec, specPath);
  if (!spec?.serviceAccountName) {
    (spec?.volumes ?? []).forEach((v, vi) => {
      v.projected?.sources?.forEach((src, si) => {
        if (src.serviceAccountToken) {
          errs.push(field.forbidden(specPath.child('volumes').index(vi).child('projected', 'sources').index(si).child('serviceAccountToken'), 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const [list, key] of [
    [spec?.containers, 'containers'],
    [spec?.initContainers, 'initContainers'],
  ] as const) {
    (list ?? []).forEach((ctr, i) => {
      if (ctr.image && ctr.image.trim() !== ctr.image) {
        errs.push(field.invalid(specPath.child(key).index(i).child('image'), ctr.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

/** ValidatePodCreate past ObjectMeta. */
export function validatePod(pod: Pod): FieldError[] {
  const errs = validatePodSpecForPod(pod);
  if ((pod.spec?.ephemeralContainers ?? []).length > 0) errs.push(field.forbidden(specPath.child('ephemeralContainers'), 'cannot be set on create'));
  if (pod.spec?.nodeName && (pod.spec.schedulingGates ?? []).length > 0) {
    errs.push(field.forbidden(specPath.child('nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** core.PodSpec's fields in Go order, with their Go names, for the diff. */
const podSpecGoFields: readonly [string, string][] = [
  ['volumes', 'Volumes'],
  ['initContainers', 'InitContainers'],
  ['containers', 'Containers'],
  ['ephemeralContainers', 'EphemeralContainers'],
  ['restartPolicy', 'RestartPolicy'],
  ['terminationGracePeriodSeconds', 'TerminationGracePeriodSeconds'],
  ['activeDeadlineSeconds', 'ActiveDeadlineSeconds'],
  ['dnsPolicy', 'DNSPolicy'],
  ['nodeSelector', 'NodeSelector'],
  ['serviceAccountName', 'ServiceAccountName'],
  ['automountServiceAccountToken', 'AutomountServiceAccountToken'],
  ['nodeName', 'NodeName'],
  ['hostNetwork', 'HostNetwork'],
  ['hostPID', 'HostPID'],
  ['hostIPC', 'HostIPC'],
  ['shareProcessNamespace', 'ShareProcessNamespace'],
  ['hostUsers', 'HostUsers'],
  ['securityContext', 'SecurityContext'],
  ['imagePullSecrets', 'ImagePullSecrets'],
  ['hostname', 'Hostname'],
  ['subdomain', 'Subdomain'],
  ['setHostnameAsFQDN', 'SetHostnameAsFQDN'],
  ['affinity', 'Affinity'],
  ['schedulerName', 'SchedulerName'],
  ['tolerations', 'Tolerations'],
  ['hostAliases', 'HostAliases'],
  ['priorityClassName', 'PriorityClassName'],
  ['priority', 'Priority'],
  ['preemptionPolicy', 'PreemptionPolicy'],
  ['dnsConfig', 'DNSConfig'],
  ['readinessGates', 'ReadinessGates'],
  ['runtimeClassName', 'RuntimeClassName'],
  ['overhead', 'Overhead'],
  ['enableServiceLinks', 'EnableServiceLinks'],
  ['topologySpreadConstraints', 'TopologySpreadConstraints'],
  ['os', 'OS'],
  ['schedulingGates', 'SchedulingGates'],
  ['resourceClaims', 'ResourceClaims'],
];

/**
 * A cmp.Diff-shaped rendering of what changed between two specs of a Go type: the differing
 * top-level fields as `-`/`+` lines, runs of equal fields folded into `... // N identical fields`.
 */
export function specDiff(typeName: string, fields: readonly [string, string][], oldSpec: object, newSpec: object): string {
  const o = oldSpec as Record<string, unknown>;
  const n = newSpec as Record<string, unknown>;
  const lines = [`  ${typeName}{`];
  let same = 0;
  const flush = () => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const [key, goName] of fields) {
    if (semanticEqual(o[key], n[key])) {
      same++;
      continue;
    }
    flush();
    if (o[key] !== undefined) lines.push(`- \t${goName}: ${JSON.stringify(o[key])},`);
    else lines.push(`- \t${goName}: nil,`);
    if (n[key] !== undefined) lines.push(`+ \t${goName}: ${JSON.stringify(n[key])},`);
    else lines.push(`+ \t${goName}: nil,`);
  }
  flush();
  lines.push('  }');
  return lines.join('\n') + '\n';
}

function validateContainerUpdates(next: readonly Container[], old: readonly Container[], path: Path): [FieldError[], boolean] {
  if (next.length !== old.length) return [[field.forbidden(path, 'pod updates may not add or remove containers')], true];
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    if (!c.image) errs.push(field.required(path.index(i).child('image'), ''));
  });
  return [errs, false];
}

/**
 * ValidatePodEphemeralContainersUpdate past ObjectMeta (the pods/ephemeralcontainers subresource): the
 * pod valid, and its existing ephemeral containers neither removed nor changed — only additions.
 */
export function validatePodEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodSpecForPod(pod);
  const path = specPath.child('ephemeralContainers');
  const next = new Map((pod.spec?.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const was of old.spec?.ephemeralContainers ?? []) {
    const now = next.get(was.name);
    if (!now) errs.push(field.forbidden(path, `existing ephemeral containers ${JSON.stringify(was.name)} may not be removed\n`));
    else if (!semanticEqual(was, now)) errs.push(field.forbidden(path, `existing ephemeral containers ${JSON.stringify(was.name)} may not be changed\n`));
  }
  return errs;
}

/** ValidatePodUpdate past ObjectMeta (the full create checks run again, as upstream). */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodSpecForPod(pod);
  const ns: PodSpec = pod.spec ?? { containers: [] };
  const os: PodSpec = old.spec ?? { containers: [] };
  for (const key of ['containers', 'initContainers'] as const) {
    const [e, stop] = validateContainerUpdates(ns[key] ?? [], os[key] ?? [], specPath.child(key));
    errs.push(...e);
    if (stop) return errs;
  }
  const adsPath = specPath.child('activeDeadlineSeconds');
  if (ns.activeDeadlineSeconds != null) {
    const v = ns.activeDeadlineSeconds;
    if (v < 0 || v > MaxInt32) {
      errs.push(field.invalid(adsPath, v, inclusiveRangeError(0, MaxInt32)));
      return errs;
    }
    if (os.activeDeadlineSeconds != null && os.activeDeadlineSeconds < v) {
      errs.push(field.invalid(adsPath, v, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (os.activeDeadlineSeconds != null) {
    errs.push(field.invalid(adsPath, null, 'must not update from a positive integer to nil value'));
  }
  const tolPath = specPath.child('tolerations');
  const newTols = ns.tolerations ?? [];
  let tolerationsOK = true;
  for (const ot of os.tolerations ?? []) {
    if (!newTols.some((nt) => semanticEqual({ ...ot, tolerationSeconds: nt.tolerationSeconds }, nt))) {
      errs.push(field.forbidden(tolPath, 'existing toleration can not be modified except its tolerationSeconds'));
      tolerationsOK = false;
      break;
    }
  }
  if (tolerationsOK) errs.push(...validateTolerations(newTols, tolPath));
  if (semanticEqual(ns, os)) return errs;

  const munged: PodSpec = {
    ...ns,
    containers: (ns.containers ?? []).map((c, i) => ({ ...c, image: os.containers[i]?.image ?? '' })),
    activeDeadlineSeconds: os.activeDeadlineSeconds,
    schedulingGates: os.schedulingGates,
    tolerations: os.tolerations,
  };
  if (ns.initContainers) munged.initContainers = ns.initContainers.map((c, i) => ({ ...c, image: os.initContainers?.[i]?.image ?? '' }));
  if (os.terminationGracePeriodSeconds != null && os.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = os.terminationGracePeriodSeconds;
  }
  if ((os.schedulingGates ?? []).length > 0) {
    // A gated pod may gain node selector entries and node affinity.
    munged.nodeSelector = os.nodeSelector;
    munged.affinity = os.affinity;
  }
  if (!semanticEqual(munged, os)) {
    errs.push(
      field.forbidden(
        specPath,
        `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${specDiff('core.PodSpec', podSpecGoFields, os, munged)}`,
      ),
    );
  }
  return errs;
}
