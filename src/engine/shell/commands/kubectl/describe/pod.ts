/**
 * describePod (kubectl 1.32 pkg/describe): identity, node, start time, status (or `Terminating (lasts
 * 5s)`), IPs, controller, init/regular/ephemeral containers, readiness gates, conditions, volumes,
 * QoS class, node selectors, tolerations, topology spread constraints, events.
 *
 * Left out: the mirror-pod event lookup (the caller brings the events); pod-level resources (alpha).
 */
import type { Container, EnvVar, Event, Pod } from 'kubernetes-types/core/v1';
import { podQOSClass } from '../../../../api/qos.ts';
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter.ts';
import { printAnnotationsMultiline, printController, printLabelsMultiline, printTolerationsMultiline, rfc1123z, since } from './metadata.ts';
import { describeContainers, describeTopologySpreadConstraints, describeVolumes } from './containers.ts';
import { describeEvents } from './events.ts';

/**
 * EnvValueRetriever: the value of a fieldRef env var. kubectl converts the field path with its client
 * scheme, which knows no Pod field labels but the metadata defaults, so only `metadata.name` and
 * `metadata.namespace` resolve; every other path (labels, spec.nodeName, status.podIP…) prints empty.
 */
export function envValueRetriever(pod: Pod): (e: EnvVar) => string {
  return (e) => {
    switch (e.valueFrom?.fieldRef?.fieldPath) {
      case 'metadata.name':
        return pod.metadata?.name ?? '';
      case 'metadata.namespace':
        return pod.metadata?.namespace ?? '';
      default:
        return '';
    }
  };
}

export function describePod(pod: Pod, events: readonly Event[] | undefined, now: number): string {
  return tabbedString((w) => {
    const meta = pod.metadata ?? {};
    const spec = pod.spec;
    const status = pod.status ?? {};
    w.write(LEVEL_0, `Name:\t${meta.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace ?? ''}\n`);
    if (spec?.priority !== undefined) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec?.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec?.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec?.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    if (!spec?.nodeName) w.write(LEVEL_0, 'Node:\t<none>\n');
    else w.write(LEVEL_0, `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n`);
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
    const seccomp = spec?.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
    if (!status.podIPs || status.podIPs.length === 0) {
      w.write(LEVEL_0, 'IPs:\t<none>\n');
    } else {
      w.write(LEVEL_0, 'IPs:\n');
      for (const ip of status.podIPs) w.write(LEVEL_1, `IP:\t${ip.ip ?? ''}\n`);
    }
    const controlledBy = printController(pod as Parameters<typeof printController>[0]);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    const resolve = envValueRetriever(pod);
    if ((spec?.initContainers ?? []).length > 0) describeContainers('Init Containers', spec!.initContainers!, status.initContainerStatuses, resolve, w, '');
    describeContainers('Containers', spec?.containers ?? [], status.containerStatuses, resolve, w, '');
    if ((spec?.ephemeralContainers ?? []).length > 0) {
      describeContainers('Ephemeral Containers', spec!.ephemeralContainers! as Container[], status.ephemeralContainerStatuses, resolve, w, '');
    }
    if ((spec?.readinessGates ?? []).length > 0) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
      for (const g of spec!.readinessGates!) {
        const c = (status.conditions ?? []).find((c) => c.type === g.conditionType);
        w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
      }
    }
    if ((status.conditions ?? []).length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
      for (const c of status.conditions!) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
    }
    describeVolumes(spec?.volumes, w, '');
    w.write(LEVEL_0, `QoS Class:\t${status.qosClass || podQOSClass(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec?.nodeSelector);
    printTolerationsMultiline(w, '', 'Tolerations', spec?.tolerations);
    describeTopologySpreadConstraints(spec, w, '');
    if (events) describeEvents(events, w, now);
  });
}
