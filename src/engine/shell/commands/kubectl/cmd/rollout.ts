/**
 * kubectl rollout (k8s.io/kubectl/pkg/cmd/rollout and polymorphichelpers): `status` with the status
 * viewers of deployments, daemon sets and stateful sets (watched until done, `--watch=false` once,
 * `--timeout` on the virtual clock, `--revision`), `history` from the ReplicaSets a Deployment controls
 * (`deployment.kubernetes.io/revision`, `kubernetes.io/change-cause`), `undo [--to-revision]` as the
 * DeploymentRollbacker's JSON patch, `pause`/`resume` (spec.paused) and `restart` (the
 * `kubectl.kubernetes.io/restartedAt` template annotation, RFC 3339 from the virtual clock), each sent
 * as a strategic merge patch. With no controllers running, a rollout waits as it would on a cluster
 * whose controllers do not act. Left out: history of daemon sets and stateful sets (ControllerRevisions),
 * -o for history/undo, --dry-run.
 */
import { EXIT } from '../../../command.ts';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { createTwoWayMergePatch } from '../../../../apiserver/patch/index.ts';
import { rfc3339 } from '../../../../api/time.ts';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build, type Visit } from '../builder.ts';
import { describePodTemplate } from '../describe/containers.ts';
import { tabbedString } from '../describe/prefixWriter.ts';
import { AggregateError, KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { printOperation } from './printOperation.ts';
import { groupResource, kindName, type ApiResource } from '../restMapper.ts';
import { TabWriter } from '../printers/tabwriter.ts';
import { groupKind, objectsOf, resourceClient } from './common.ts';
import { parseDuration, untilWithSync } from './until.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const HASH_LABEL = 'pod-template-hash';
/** The Deployment annotations a rollback keeps rather than copies from the ReplicaSet. */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to',
]);

const REPLICA_SETS: ApiResource = { group: 'apps', version: 'v1', resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], verbs: [], preferred: true };

/** A deep copy of JSON data. */
function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

async function targetsOf(f: Factory, flags: ParsedFlags, args: string[]): Promise<Array<{ visit: Visit; namespace: string; name: string }>> {
  if (args.length === 0 && flags.list('filename').length === 0) throw new KubectlError('error: required resource not specified');
  const visits = await build(f, { args, filenames: flags.list('filename'), recursive: flags.bool('recursive'), labelSelector: flags.string('selector'), fieldSelector: '', allNamespaces: false, requireObject: true });
  const out: Array<{ visit: Visit; namespace: string; name: string }> = [];
  for (const visit of visits) for (const t of await objectsOf(f, visit)) out.push({ visit, namespace: t.namespace, name: t.name });
  return out;
}

/** The StatusViewer of a kind: its message and whether the rollout is done. */
function statusOf(gk: string, obj: KubeObject, revision: number): { message: string; done: boolean } {
  if (gk === 'Deployment.apps') {
    const d = obj as Deployment;
    if (revision > 0) {
      const current = Number(d.metadata?.annotations?.[REVISION] ?? 0);
      if (revision !== current) throw new KubectlError(`error: desired revision (${revision}) is different from the running revision (${current})`);
    }
    const name = JSON.stringify(d.metadata?.name ?? '');
    const s = d.status ?? {};
    if ((d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0)) {
      const progressing = (s.conditions ?? []).find((c) => c.type === 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded') throw new KubectlError(`error: deployment ${name} exceeded its progress deadline`);
      const updated = s.updatedReplicas ?? 0;
      if (d.spec?.replicas !== undefined && updated < d.spec.replicas) return { message: `Waiting for deployment ${name} rollout to finish: ${updated} out of ${d.spec.replicas} new replicas have been updated...\n`, done: false };
      if ((s.replicas ?? 0) > updated) return { message: `Waiting for deployment ${name} rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
      if ((s.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment ${name} rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
      return { message: `deployment ${name} successfully rolled out\n`, done: true };
    }
    return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
  }
  if (gk === 'DaemonSet.apps') {
    const ds = obj as DaemonSet;
    if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') throw new KubectlError('error: rollout status is only available for RollingUpdate strategy type');
    const name = JSON.stringify(ds.metadata?.name ?? '');
    const s = ds.status;
    if ((ds.metadata?.generation ?? 0) <= (s?.observedGeneration ?? 0)) {
      if ((s?.updatedNumberScheduled ?? 0) < (s?.desiredNumberScheduled ?? 0)) return { message: `Waiting for daemon set ${name} rollout to finish: ${s?.updatedNumberScheduled ?? 0} out of ${s?.desiredNumberScheduled ?? 0} new pods have been updated...\n`, done: false };
      if ((s?.numberAvailable ?? 0) < (s?.desiredNumberScheduled ?? 0)) return { message: `Waiting for daemon set ${name} rollout to finish: ${s?.numberAvailable ?? 0} of ${s?.desiredNumberScheduled ?? 0} updated pods are available...\n`, done: false };
      return { message: `daemon set ${name} successfully rolled out\n`, done: true };
    }
    return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
  }
  if (gk === 'StatefulSet.apps') {
    const sts = obj as StatefulSet;
    if (sts.spec?.updateStrategy?.type !== 'RollingUpdate') throw new KubectlError('error: rollout status is only available for RollingUpdate strategy type');
    const s = sts.status;
    if (s?.observedGeneration === undefined || (sts.metadata?.generation ?? 0) > s.observedGeneration) return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
    const replicas = sts.spec?.replicas ?? 1;
    if ((s.readyReplicas ?? 0) < replicas) return { message: `Waiting for ${replicas - (s.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    if (partition > 0) {
      if ((s.updatedReplicas ?? 0) < replicas - partition) return { message: `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`, done: false };
      return { message: `partitioned roll out complete: ${s.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
    }
    if (s.updateRevision !== s.currentRevision) return { message: `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision ?? ''}...\n`, done: false };
    return { message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision ?? ''}...\n`, done: true };
  }
  throw new KubectlError(`error: no status viewer has been implemented for ${gk}`);
}

export async function runRolloutStatus(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const revision = Number(flags.string('revision'));
  if (revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`);
  const timeout = parseDuration(flags.string('timeout'), 'timeout');
  const targets = await targetsOf(f, flags, args);
  for (const t of targets) await resourceClient(f, t.visit.mapping).get(t.namespace, t.name);
  if (targets.length !== 1) throw new KubectlError(`error: rollout status is only supported on individual resources and resource collections - ${targets.length} resources were found`);
  const [{ visit, namespace, name }] = targets as [(typeof targets)[number]];
  const gk = groupKind(visit.mapping);
  if (!['Deployment.apps', 'DaemonSet.apps', 'StatefulSet.apps'].includes(gk)) throw new KubectlError(`error: no status viewer has been implemented for ${gk}`);
  const watch = flags.bool('watch');
  const outcome = await untilWithSync(f, visit.mapping, namespace, name, Math.max(timeout, 0), (event) => {
    if (event.type === 'DELETED') throw new KubectlError('error: object has been deleted');
    const status = statusOf(gk, event.object, revision);
    f.ctx.stdout(status.message);
    return status.done || !watch;
  });
  if (outcome === 'interrupted') return EXIT.interrupted;
  if (outcome === 'timeout') throw new KubectlError('error: timed out waiting for the condition');
  return EXIT.ok;
}

/** deploymentutil.GetAllReplicaSets: the ReplicaSets the Deployment controls. */
async function replicaSetsOf(f: Factory, d: Deployment): Promise<ReplicaSet[]> {
  const selector = Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await resourceClient(f, REPLICA_SETS).list(d.metadata?.namespace ?? '', { labelSelector: selector });
  return (list.items as ReplicaSet[]).filter((rs) => (rs.metadata?.ownerReferences ?? []).some((o) => o.controller && o.uid === d.metadata?.uid));
}

function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata?.annotations?.[REVISION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export async function runRolloutHistory(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const revision = Number(flags.string('revision'));
  if (revision < 0) throw new KubectlError(`error: revision must be a positive integer: ${revision}`);
  const targets = await targetsOf(f, flags, args);
  for (const t of targets) {
    const live = await resourceClient(f, t.visit.mapping).get(t.namespace, t.name);
    const gk = groupKind(t.visit.mapping);
    if (gk !== 'Deployment.apps') throw new KubectlError(`error: error retrieving history for ${JSON.stringify(t.visit.mapping.kind)}, no visitor method exists for { ${t.visit.mapping.kind}}`);
    const history = new Map<number, PodTemplateSpec>();
    for (const rs of await replicaSetsOf(f, live as Deployment)) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      const template: PodTemplateSpec = clone(rs.spec?.template ?? {});
      const cause = rs.metadata?.annotations?.[CHANGE_CAUSE];
      if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE]: cause } };
      history.set(v, template);
    }
    let text: string;
    if (history.size === 0) text = 'No rollout history found.';
    else if (revision > 0) {
      const template = history.get(revision);
      if (!template) throw new KubectlError('error: unable to find the specified revision');
      text = tabbedString((w) => describePodTemplate(template, w));
    } else {
      const tw = new TabWriter({ minWidth: 0, padding: 2 });
      tw.write('REVISION\tCHANGE-CAUSE\n');
      for (const r of [...history.keys()].sort((a, b) => a - b)) tw.write(`${r}\t${history.get(r)?.metadata?.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
      text = tw.take();
    }
    f.ctx.stdout(`${kindName(t.visit.mapping)}/${t.name} ${revision > 0 ? `with revision #${revision}` : ''}\n${text}\n`);
  }
  return EXIT.ok;
}

function withoutHash(t: PodTemplateSpec | undefined): string {
  const copy = clone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return JSON.stringify(sortKeys(copy));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export async function runRolloutUndo(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const toRevision = Number(flags.string('to-revision'));
  const targets = await targetsOf(f, flags, args);
  const errors: unknown[] = [];
  for (const t of targets) {
    try {
      const client = resourceClient(f, t.visit.mapping);
      const d = (await client.get(t.namespace, t.name)) as Deployment;
      const gk = groupKind(t.visit.mapping);
      if (gk !== 'Deployment.apps') throw new KubectlError(`error: error retrieving rollbacker for ${JSON.stringify(t.visit.mapping.kind)}, no visitor method exists for { ${t.visit.mapping.kind}}`);
      if (d.spec?.paused) throw new KubectlError("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
      let latest: ReplicaSet | undefined;
      let latestRev = -1;
      let previous: ReplicaSet | undefined;
      let previousRev = -1;
      let chosen: ReplicaSet | undefined;
      for (const rs of await replicaSetsOf(f, d)) {
        const v = revisionOf(rs);
        if (v === undefined) continue;
        if (toRevision === 0) {
          if (latestRev < v) {
            [previousRev, previous, latestRev, latest] = [latestRev, latest, v, rs];
          } else if (previousRev < v) {
            [previousRev, previous] = [v, rs];
          }
        } else if (toRevision === v) {
          chosen = rs;
          break;
        }
      }
      if (toRevision > 0 && !chosen) throw new KubectlError(`error: unable to find specified revision ${toRevision} in history`);
      if (toRevision === 0) chosen = previous;
      if (!chosen) throw new KubectlError(`error: no rollout history found for deployment ${JSON.stringify(t.name)}`);
      if (withoutHash(chosen.spec?.template) === withoutHash(d.spec?.template)) {
        f.ctx.stdout(printOperation(t.visit.mapping, t.name, `skipped rollback (current template already matches revision ${toRevision})`));
        continue;
      }
      const template = clone(chosen.spec?.template ?? {});
      if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
      const annotations: Record<string, string> = {};
      for (const k of ANNOTATIONS_TO_SKIP) {
        const v = d.metadata?.annotations?.[k];
        if (v !== undefined) annotations[k] = v;
      }
      for (const [k, v] of Object.entries(chosen.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
      const patch = [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ];
      try {
        await client.patch(t.namespace, t.name, 'json', patch);
      } catch (e) {
        throw new KubectlError(`error: failed restoring revision ${toRevision}: ${e instanceof Error ? e.message : String(e)}`);
      }
      f.ctx.stdout(printOperation(t.visit.mapping, t.name, 'rolled back'));
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}

type Mutation = (obj: KubeObject, gk: string) => KubeObject;

/** set.CalculatePatches then a strategic merge patch per object; errors as `error: deployments.apps "web" …`. */
async function patchEach(f: Factory, flags: ParsedFlags, args: string[], mutate: Mutation, verb: string): Promise<number> {
  const targets = await targetsOf(f, flags, args);
  const errors: unknown[] = [];
  for (const t of targets) {
    const client = resourceClient(f, t.visit.mapping);
    const live = await client.get(t.namespace, t.name);
    const gk = groupKind(t.visit.mapping);
    let modified: KubeObject;
    try {
      modified = mutate(clone(live), gk);
    } catch (e) {
      errors.push(new KubectlError(`error: ${groupResource(t.visit.mapping)} ${JSON.stringify(t.name)} ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    const patch = createTwoWayMergePatch(live, modified, gk);
    if (Object.keys(patch).length === 0) {
      if (verb === 'restarted') errors.push(new KubectlError(`error: failed to create patch for ${t.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`));
      else f.ctx.stdout(printOperation(t.visit.mapping, t.name, `already ${verb}`));
      continue;
    }
    try {
      await client.patch(t.namespace, t.name, 'strategic', patch, { fieldManager: 'kubectl-rollout' });
      f.ctx.stdout(printOperation(t.visit.mapping, t.name, verb));
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}

function setPaused(paused: boolean): Mutation {
  return (obj, gk) => {
    if (gk !== 'Deployment.apps') throw new Error(`${paused ? 'pausing' : 'resuming'} is not supported`);
    const spec = (obj.spec ?? {}) as { paused?: boolean };
    if (Boolean(spec.paused) === paused) throw new Error(paused ? 'is already paused' : 'is not paused');
    obj.spec = { ...spec, paused };
    return obj;
  };
}

export const runRolloutPause = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => patchEach(f, flags, args, setPaused(true), 'paused');
export const runRolloutResume = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => patchEach(f, flags, args, setPaused(false), 'resumed');

export function runRolloutRestart(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const now = rfc3339(f.ctx.clock.now());
  return patchEach(f, flags, args, (obj, gk) => {
    const spec = (obj.spec ?? {}) as { paused?: boolean; template?: PodTemplateSpec; updateStrategy?: { type?: string } };
    if (gk === 'Deployment.apps') {
      if (spec.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
    } else if (gk === 'DaemonSet.apps' || gk === 'StatefulSet.apps') {
      if (spec.updateStrategy?.type === 'OnDelete') throw new Error(`can't restart ${JSON.stringify(obj.metadata?.name ?? '')}: ${gk === 'DaemonSet.apps' ? 'DaemonSet' : 'StatefulSet'} with OnDelete strategy`);
    } else throw new Error('restarting is not supported');
    const template = spec.template ?? {};
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [RESTARTED_AT]: now } };
    obj.spec = { ...spec, template };
    return obj;
  }, 'restarted');
}
