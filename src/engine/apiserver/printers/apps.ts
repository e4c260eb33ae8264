/**
 * Printers of apps/v1 — printDeployment, printReplicaSet, printStatefulSet, printDaemonSet and
 * printControllerRevision of pkg/printers/internalversion (Kubernetes 1.32), with their columns.
 *
 * Contract: cells as upstream computes them, wide columns (CONTAINERS, IMAGES, SELECTOR) included.
 * Selectors print with metav1.FormatLabelSelector (`<none>` for an empty one), except a Deployment's,
 * which upstream prints as the bare selector string (empty for an empty selector, `<invalid>` for one
 * that does not convert).
 */
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { formatLabels, formatLabelSelector, labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { int, layoutContainerCells } from './cells.ts';
import { AGE, column, CONTAINERS, DOC, IMAGES, NAME, wide } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

/** metav1.LabelSelectorAsSelector(s).String(), as printDeployment uses it. */
function selectorString(selector: LabelSelector | undefined): string {
  try {
    return labelSelectorAsSelector(selector).toString();
  } catch {
    return '<invalid>';
  }
}

function printDeployment(d: Deployment, now: number): Cell[] {
  const [names, images] = layoutContainerCells(d.spec?.template?.spec?.containers);
  return [
    d.metadata?.name ?? '',
    `${int(d.status?.readyReplicas)}/${int(d.spec?.replicas)}`,
    int(d.status?.updatedReplicas),
    int(d.status?.availableReplicas),
    since(d.metadata?.creationTimestamp, now),
    names,
    images,
    selectorString(d.spec?.selector),
  ];
}

function printReplicaSet(rs: ReplicaSet, now: number): Cell[] {
  const [names, images] = layoutContainerCells(rs.spec?.template?.spec?.containers);
  return [
    rs.metadata?.name ?? '',
    int(rs.spec?.replicas),
    int(rs.status?.replicas),
    int(rs.status?.readyReplicas),
    since(rs.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(rs.spec?.selector),
  ];
}

function printStatefulSet(sts: StatefulSet, now: number): Cell[] {
  const [names, images] = layoutContainerCells(sts.spec?.template?.spec?.containers);
  return [sts.metadata?.name ?? '', `${int(sts.status?.readyReplicas)}/${int(sts.spec?.replicas)}`, since(sts.metadata?.creationTimestamp, now), names, images];
}

function printDaemonSet(ds: DaemonSet, now: number): Cell[] {
  const status = ds.status;
  const [names, images] = layoutContainerCells(ds.spec?.template?.spec?.containers);
  return [
    ds.metadata?.name ?? '',
    int(status?.desiredNumberScheduled),
    int(status?.currentNumberScheduled),
    int(status?.numberReady),
    int(status?.updatedNumberScheduled),
    int(status?.numberAvailable),
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    since(ds.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(ds.spec?.selector),
  ];
}

/** The controller owner as `kind.group/name` in lower case (formatResourceName), or `<none>`. */
function controllerOf(revision: ControllerRevision): string {
  const ref = revision.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
}

export const appsHandlers = {
  'Deployment.apps': tableHandler<Deployment>(
    [
      NAME,
      column('Ready', 'string', 'Number of the pod with ready state'),
      column('Up-to-date', 'string', DOC.depUpdated),
      column('Available', 'string', DOC.depAvailable),
      AGE,
      CONTAINERS,
      IMAGES,
      wide('Selector', 'string', DOC.depSelector),
    ],
    printDeployment,
  ),
  'ReplicaSet.apps': tableHandler<ReplicaSet>(
    [
      NAME,
      column('Desired', 'integer', DOC.rsReplicas),
      column('Current', 'integer', DOC.rsStatusReplicas),
      column('Ready', 'integer', DOC.rsReady),
      AGE,
      CONTAINERS,
      IMAGES,
      wide('Selector', 'string', DOC.rsSelector),
    ],
    printReplicaSet,
  ),
  'StatefulSet.apps': tableHandler<StatefulSet>([NAME, column('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES], printStatefulSet),
  'DaemonSet.apps': tableHandler<DaemonSet>(
    [
      NAME,
      column('Desired', 'integer', DOC.dsDesired),
      column('Current', 'integer', DOC.dsCurrent),
      column('Ready', 'integer', DOC.dsReady),
      column('Up-to-date', 'integer', DOC.dsUpdated),
      column('Available', 'integer', DOC.dsAvailable),
      column('Node Selector', 'string', DOC.nodeSelector),
      AGE,
      CONTAINERS,
      IMAGES,
      wide('Selector', 'string', DOC.dsSelector),
    ],
    printDaemonSet,
  ),
  'ControllerRevision.apps': tableHandler<ControllerRevision>(
    [NAME, column('Controller', 'string', 'Controller of the object'), column('Revision', 'string', DOC.crRevision), AGE],
    (cr, now) => [cr.metadata?.name ?? '', controllerOf(cr), cr.revision, since(cr.metadata?.creationTimestamp, now)],
  ),
};
