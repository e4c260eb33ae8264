/**
 * Test support for the kubelet on a full node: `fullNodeLab` boots a Lab whose cluster has one full node
 * (worker-1, pod CIDR 10.244.1.0/24), the scheduler and every controller, and hands back what the
 * kubelet's tests drive it with — a client with the admin's rights, `tick` (the virtual clock moved one
 * timer at a time, promises settled between), `apply` (create every document of a manifest), `pod` and
 * `events` (a pod of `default` and its events as `Type Reason: message (xN)`, oldest first) and `sh` (a
 * script in the laptop's shell, its output). As in cluster/headless.ts, the host supplies `yieldToHost`:
 * one macrotask (setImmediate in Node), after which every continuation the last timer released has run.
 */
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { parseAllDocuments } from 'yaml';
import { kindFor } from '../api/scheme.ts';
import { advanceSettled } from '../base/advance.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import { RESOURCES } from '../client/resources.ts';
import { defaultFullNodeSpec } from '../cluster/cluster.ts';
import { runHeadless } from '../cluster/headless.ts';
import { Lab } from '../cluster/lab.ts';

/** The full node of `fullNodeLab`. */
export const NODE_NAME = 'worker-1';

export interface FullNodeLab {
  lab: Lab;
  /** A client of the admin. */
  client: RestClient;
  /** Move virtual time by `ms`, one due timer at a time, settling after each. */
  tick(ms: number): Promise<number>;
  /** Create every object of a (multi-document) manifest; namespaced ones default to `default`. */
  apply(yaml: string): Promise<void>;
  /** Pod `default/name` as the API has it. */
  pod(name: string): Promise<Pod>;
  /** The events about `name` in `default`, oldest first: `Normal Scheduled: Successfully assigned …`, ` (xN)` when repeated. */
  events(name: string): Promise<string[]>;
  /** Run `script` in the laptop's shell; what it printed on stdout and stderr. */
  sh(script: string): Promise<string>;
}

/** A booted lab with one full node (worker-1), the scheduler and every controller, 2s after boot (seed 7 unless given). */
export async function fullNodeLab(options: { yieldToHost: () => Promise<void>; seed?: number }): Promise<FullNodeLab> {
  const settle = options.yieldToHost;
  const lab = new Lab({ seed: options.seed ?? 7, cluster: { fullNodes: [defaultFullNodeSpec(NODE_NAME, 1)], scheduler: true, controllers: 'all' } });
  const client = new RestClient(lab.kube.transport);
  const tick = (ms: number) => advanceSettled(lab.clock, ms, settle);
  const apply = async (yaml: string) => {
    for (const doc of parseAllDocuments(yaml)) {
      const obj = doc.toJSON() as KubeObject;
      const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '');
      if (!info) throw new Error(`no kind ${obj.apiVersion ?? ''}/${obj.kind ?? ''}`);
      await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }).create(info.namespaced ? (obj.metadata?.namespace ?? 'default') : '', obj);
    }
    await settle();
  };
  const pod = async (name: string) => (await client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', name)) as Pod;
  const events = async (name: string) =>
    (await client.resource<Event & KubeObject>(RESOURCES.events).list('default')).items
      .filter((e) => e.involvedObject?.name === name)
      .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)))
      .map((e) => `${e.type} ${e.reason}: ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  const sh = async (script: string) => {
    let out = '';
    await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => void (out += c.text) });
    return out;
  };
  await lab.cluster.boot();
  await tick(0);
  await tick(2000);
  return { lab, client, tick, apply, pod, events, sh };
}
