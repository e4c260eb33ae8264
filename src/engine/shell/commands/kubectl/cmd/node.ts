/**
 * kubectl's node maintenance commands (k8s.io/kubectl/pkg/cmd/drain, pkg/drain, pkg/cmd/taint):
 * `cordon`/`uncordon` (a strategic patch of spec.unschedulable: `node/n1 cordoned`, `already cordoned`),
 * `drain` (cordon, then evict every pod bound to the node through pods/eviction — refusing DaemonSet pods
 * without --ignore-daemonsets, emptyDir pods without --delete-emptydir-data and unmanaged pods without
 * --force, skipping mirror pods — and wait on the virtual clock until they are gone), and `taint nodes`
 * (`key=value:Effect`, `key:Effect`, `key-`, `key:Effect-`, --overwrite; `tainted`, `untainted`,
 * `modified`). Left out: --pod-selector, --disable-eviction, --chunk-size, `taint --all`'s node listing.
 */
import { EXIT, sleepOn } from '../../../command.ts';
import { asStatusError } from '../../../../api/errors.ts';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../../client/rest/restClient.ts';
import { build } from '../builder.ts';
import { AggregateError, KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import type { ApiResource } from '../restMapper.ts';
import { dryRun, dryRunSuffix, objectsOf, resourceClient } from './common.ts';
import { printOperation } from './printOperation.ts';
import { parseDuration } from './until.ts';

const NODES: ApiResource = { group: '', version: 'v1', resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], categories: [], verbs: [], preferred: true };
const PODS: ApiResource = { group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], verbs: [], preferred: true };

/** The nodes named by the arguments (`n1 n2`) or `-l`. */
async function nodesOf(f: Factory, flags: ParsedFlags, args: string[]): Promise<Node[]> {
  const selector = flags.string('selector');
  const visits = await build(f, { args: ['nodes', ...args], filenames: [], recursive: false, labelSelector: selector, fieldSelector: '', allNamespaces: false, all: args.length === 0 && !selector ? false : true, requireObject: false });
  const out: Node[] = [];
  for (const visit of visits) for (const t of await objectsOf(f, visit)) out.push((t.object ?? (await resourceClient(f, NODES).get('', t.name))) as Node);
  return out;
}

async function setUnschedulable(f: Factory, node: Node, desired: boolean, mode: ReturnType<typeof dryRun>): Promise<void> {
  const name = node.metadata?.name ?? '';
  const word = desired ? 'cordoned' : 'uncordoned';
  if (Boolean(node.spec?.unschedulable) === desired) {
    f.ctx.stdout(printOperation(NODES, name, `already ${word}${dryRunSuffix(mode)}`));
    return;
  }
  if (mode !== 'client') await resourceClient(f, NODES).patch('', name, 'strategic', { spec: { unschedulable: desired ? true : null } }, { dryRun: mode === 'server' });
  f.ctx.stdout(printOperation(NODES, name, `${word}${dryRunSuffix(mode)}`));
}

async function cordonCommand(f: Factory, flags: ParsedFlags, args: string[], desired: boolean, command: string): Promise<number> {
  if (args.length === 0 && !flags.string('selector')) throw usageError(`kubectl ${command}`, 'USAGE: ' + `${command} NODE [flags]`);
  const mode = dryRun(flags);
  for (const node of await nodesOf(f, flags, args)) await setUnschedulable(f, node, desired, mode);
  return EXIT.ok;
}

export const runCordon = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => cordonCommand(f, flags, args, true, 'cordon');
export const runUncordon = (f: Factory, flags: ParsedFlags, args: string[]): Promise<number> => cordonCommand(f, flags, args, false, 'uncordon');

interface PodDelete {
  pod: Pod;
  warning?: string;
  error?: string;
}

/** drain's pod filters, in upstream's order: mirror, DaemonSet, unmanaged, emptyDir. */
function filterPods(pods: Pod[], flags: ParsedFlags): { deletable: Pod[]; warnings: Map<string, string[]>; errors: Map<string, string[]> } {
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, pod: Pod) => m.set(k, [...(m.get(k) ?? []), `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`]);
  const deletable: Pod[] = [];
  for (const pod of pods) {
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    const controller = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller);
    const result: PodDelete = { pod };
    if (controller?.kind === 'DaemonSet' && !finished) {
      if (flags.bool('ignore-daemonsets')) result.warning = 'ignoring DaemonSet-managed Pods';
      else result.error = 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
    }
    if (!result.error && !result.warning && !controller && !finished) {
      if (flags.bool('force')) result.warning = 'deleting Pods that declare no controller';
      else result.error = 'cannot delete Pods that declare no controller (use --force to override)';
    }
    if (!result.error && !result.warning && !finished && (pod.spec?.volumes ?? []).some((v) => v.emptyDir)) {
      if (flags.bool('delete-emptydir-data')) result.warning = 'deleting Pods with local storage';
      else result.error = 'cannot delete Pods with local storage (use --delete-emptydir-data to override)';
    }
    if (result.error) add(errors, result.error, pod);
    else {
      if (result.warning) add(warnings, result.warning, pod);
      if (result.warning !== 'ignoring DaemonSet-managed Pods') deletable.push(pod);
    }
  }
  return { deletable, warnings, errors };
}

export async function runDrain(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length === 0 && !flags.string('selector')) throw usageError('kubectl drain', 'USAGE: drain NODE [flags]');
  const mode = dryRun(flags);
  const timeout = parseDuration(flags.string('timeout'), 'timeout');
  const grace = Number(flags.string('grace-period'));
  const nodes = await nodesOf(f, flags, args);
  for (const node of nodes) await setUnschedulable(f, node, true, mode);
  const failed: string[] = [];
  const failures: string[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const list = await resourceClient(f, PODS).list('', { fieldSelector: `spec.nodeName=${name}` });
    const { deletable, warnings, errors } = filterPods(list.items as Pod[], flags);
    if (errors.size > 0) {
      const message = [...errors].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
      f.ctx.stderr(`error: unable to drain node ${JSON.stringify(name)} due to error: ${message}, continuing command...\n`);
      failed.push(name);
      failures.push(message);
      continue;
    }
    if (warnings.size > 0) f.ctx.stderr(`Warning: ${[...warnings].map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}\n`);
    const start = f.ctx.clock.now();
    const client = resourceClient(f, PODS);
    for (const pod of deletable) {
      const ns = pod.metadata?.namespace ?? '';
      const podName = pod.metadata?.name ?? '';
      f.ctx.stdout(`evicting pod ${ns}/${podName}\n`);
      if (mode === 'client') continue;
      const eviction: KubeObject = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace: ns }, ...(grace >= 0 ? { deleteOptions: { gracePeriodSeconds: grace } } : {}) };
      try {
        await f.client().raw('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(podName)}/eviction`, mode === 'server' ? { dryRun: 'All' } : {}, JSON.stringify(eviction));
      } catch (e) {
        if (asStatusError(e)?.code === 404) continue;
        throw e;
      }
    }
    if (mode === 'none') {
      for (const pod of deletable) {
        for (;;) {
          try {
            const live = await client.get(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
            if (live.metadata?.uid !== pod.metadata?.uid) break;
          } catch (e) {
            if (asStatusError(e)?.code === 404) break;
            throw e;
          }
          if (timeout > 0 && f.ctx.clock.now() - start >= timeout) {
            throw new KubectlError(`error: unable to drain node ${JSON.stringify(name)} due to error: [error when waiting for pod ${JSON.stringify(pod.metadata?.name ?? '')} in namespace ${JSON.stringify(pod.metadata?.namespace ?? '')} to terminate: global timeout reached: ${flags.string('timeout')}], continuing command...\nThere are pending nodes to be drained:\n ${name}\nerror when waiting for pod ${JSON.stringify(pod.metadata?.name ?? '')} in namespace ${JSON.stringify(pod.metadata?.namespace ?? '')} to terminate: global timeout reached: ${flags.string('timeout')}`);
          }
          if (!(await sleepOn(f.ctx.clock, 1000, f.ctx.interrupt, 'kubectl drain'))) return EXIT.interrupted;
        }
        f.ctx.stdout(`pod/${pod.metadata?.name ?? ''} evicted\n`);
      }
    }
    f.ctx.stdout(printOperation(NODES, name, `drained${dryRunSuffix(mode)}`));
  }
  if (failed.length > 0) throw new KubectlError(`There are pending nodes to be drained:\n${failed.map((n) => ` ${n}\n`).join('')}${failures.join('\n')}`);
  return EXIT.ok;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface TaintSpec {
  key: string;
  value?: string;
  effect: string;
}

/** ParseTaints: `key=value:Effect`, `key:Effect` to add; `key-`, `key:Effect-` to remove. */
function parseTaints(specs: string[]): { add: TaintSpec[]; remove: TaintSpec[] } {
  const add: TaintSpec[] = [];
  const remove: TaintSpec[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const body = spec.slice(0, -1);
      const colon = body.indexOf(':');
      // `key=value:Effect-` removes by key and effect: upstream parses the spec and drops the value.
      remove.push(colon < 0 ? { key: body, effect: '' } : { key: body.slice(0, colon).split('=')[0]!, effect: body.slice(colon + 1) });
      continue;
    }
    const colon = spec.lastIndexOf(':');
    if (colon < 0) throw new KubectlError(`error: invalid taint spec: ${spec}, `);
    const effect = spec.slice(colon + 1);
    if (!EFFECTS.includes(effect)) throw usageError('kubectl taint', `invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = spec.slice(0, colon);
    const eq = kv.indexOf('=');
    add.push(eq < 0 ? { key: kv, effect } : { key: kv.slice(0, eq), value: kv.slice(eq + 1), effect });
  }
  return { add, remove };
}

export async function runTaint(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const taintArgs = args.filter((a, i) => i > 0 && (a.includes(':') || a.includes('=') || a.endsWith('-')));
  const resources = args.filter((a) => !taintArgs.includes(a));
  if (taintArgs.length === 0) throw new KubectlError('error: at least one taint update is required');
  const [type = '', ...names] = resources;
  if (!/^(nodes?|no)$/.test(type.split('/')[0] ?? '')) throw new KubectlError(`error: invalid resource type ${type}, only node types are supported`);
  const { add, remove } = parseTaints(taintArgs);
  const mode = dryRun(flags);
  const nodeNames = type.includes('/') ? [type.slice(type.indexOf('/') + 1), ...names] : names;
  const nodes = await nodesOf(f, flags, nodeNames);
  const errors: unknown[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const old: Taint[] = node.spec?.taints ?? [];
    if (!flags.bool('overwrite')) {
      const clash = add.find((t) => old.some((o) => o.key === t.key && o.effect === t.effect));
      if (clash) throw new KubectlError(`error: node ${name} already has ${clash.key} taint(s) with same effect(s) and --overwrite is false`);
    }
    let taints: Taint[] = [];
    let operation = 'tainted';
    for (const o of old) {
      const replaced = add.find((t) => t.key === o.key && t.effect === o.effect);
      if (replaced) {
        operation = 'modified';
        continue;
      }
      taints.push(o);
    }
    for (const t of add) taints.push({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect } as Taint);
    // Replaced taints keep their position, as upstream's reorganizeTaints appends new ones after the old.
    if (operation === 'modified') taints = [...old.map((o) => add.find((t) => t.key === o.key && t.effect === o.effect) ?? o).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }) as Taint), ...add.filter((t) => !old.some((o) => o.key === t.key && o.effect === t.effect)).map((t) => ({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect }) as Taint)];
    for (const r of remove) {
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === r.key && (r.effect === '' || t.effect === r.effect)));
      if (taints.length === before) {
        errors.push(new KubectlError(`error: taint ${JSON.stringify(r.effect ? `${r.key}:${r.effect}` : r.key)} not found`));
        continue;
      }
      operation = 'untainted';
    }
    if (errors.length) continue;
    if (mode !== 'client') await resourceClient(f, NODES).patch('', name, 'strategic', { spec: { taints } }, { dryRun: mode === 'server' });
    f.ctx.stdout(printOperation(NODES, name, `${operation}${dryRunSuffix(mode)}`));
  }
  if (errors.length) throw new AggregateError(errors);
  return EXIT.ok;
}
