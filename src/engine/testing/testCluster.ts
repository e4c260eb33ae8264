/**
 * TestCluster — the fluent harness whole-cluster scenario tests are written with (STYLE: a test reads
 * like a story): start a lab with nodes and controllers, apply YAML, move virtual time, run shell lines,
 * and read API state.
 *
 *   const tc = await TestCluster.start({ nodes: 3, controllers: ['replicaset-controller'] });
 *   await tc.apply(RS_YAML);
 *   await tc.tick('10s');
 *   expect(await tc.list('pods')).toHaveLength(3);
 *
 * Time moves only in `tick` (and `sh`, which steps the clock while a command waits, as `kubelab run`
 * does). Between timers the harness yields one macrotask, so every promise continuation a timer released
 * has run before the next timer fires: results do not depend on how a test chunks its ticks.
 *
 * Node-only (it yields with setImmediate): tsconfig.node.json checks this folder, not the engine's.
 */
import { parseAllDocuments } from 'yaml';
import type { Event } from 'kubernetes-types/core/v1';
import { isNotFound } from '../api/errors.ts';
import { kindFor } from '../api/scheme.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import { RESOURCES } from '../client/resources.ts';
import { defaultNodeSpec, type ClusterSpec } from '../cluster/cluster.ts';
import { runHeadless } from '../cluster/headless.ts';
import { Lab } from '../cluster/lab.ts';
import type { LightweightNodeSpec } from '../kwok/kwok.ts';
import type { StageDelays } from '../kwok/stages.ts';
import { advanceSettled } from '../base/advance.ts';

export interface TestClusterOptions {
  seed?: number;
  /** A number of worker nodes (worker-1…), or the nodes themselves. Default none. */
  nodes?: number | readonly LightweightNodeSpec[];
  /** Controllers to run ('all' for every one). Default none. */
  controllers?: readonly string[] | 'all';
  nodeDelays?: Partial<StageDelays>;
  /** Run kube-scheduler. Default false (tests then bind with spec.nodeName). */
  scheduler?: boolean;
  /** Virtual time at boot, ms since the Unix epoch (default DEFAULT_EPOCH). */
  startTime?: number;
}

export type ResourceName = keyof typeof RESOURCES;

/** '30s', '5m', '1h', '250ms', or a number of ms. */
export function parseDuration(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d);
  if (!m) throw new Error(`bad duration ${JSON.stringify(d)}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

/** One macrotask: every microtask queued before it (a whole chain of in-process API calls) has run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class TestCluster {
  readonly client: RestClient;

  private constructor(readonly lab: Lab) {
    this.client = new RestClient(lab.kube.transport);
  }

  static async start(options: TestClusterOptions = {}): Promise<TestCluster> {
    const nodes = typeof options.nodes === 'number' ? Array.from({ length: options.nodes }, (_, i) => defaultNodeSpec(`worker-${i + 1}`, i + 1)) : (options.nodes ?? []);
    const spec: ClusterSpec = { nodes, ...(options.controllers ? { controllers: options.controllers } : {}), ...(options.nodeDelays ? { nodeDelays: options.nodeDelays } : {}), ...(options.scheduler ? { scheduler: true } : {}) };
    const tc = new TestCluster(new Lab({ seed: options.seed ?? 1, ...(options.startTime !== undefined ? { startTime: options.startTime } : {}), cluster: spec }));
    await tc.lab.cluster.boot();
    await tc.tick(0);
    return tc;
  }

  get clock() {
    return this.lab.clock;
  }

  get cluster() {
    return this.lab.cluster;
  }

  /** Move virtual time by `duration`, running every timer due on the way with its continuations. */
  async tick(duration: string | number): Promise<this> {
    await advanceSettled(this.clock, parseDuration(duration), settle);
    return this;
  }

  /** Tick in steps of `stepMs` until `predicate` holds; false if `maxMs` passes first. */
  async tickUntil(predicate: () => boolean | Promise<boolean>, maxMs: string | number = '5m', stepMs: string | number = '1s'): Promise<boolean> {
    const deadline = this.clock.now() + parseDuration(maxMs);
    while (!(await predicate())) {
      if (this.clock.now() >= deadline) return false;
      await this.tick(Math.min(parseDuration(stepMs), deadline - this.clock.now()));
    }
    return true;
  }

  /** Create each object of a YAML stream (namespace default unless given); returns what the server stored. */
  async apply(yaml: string): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    for (const doc of parseAllDocuments(yaml)) {
      const obj = doc.toJSON() as KubeObject | null;
      if (!obj) continue;
      const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '');
      if (!info) throw new Error(`unknown kind ${obj.apiVersion}/${obj.kind}`);
      const gvr = { group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced };
      const namespace = info.namespaced ? (obj.metadata?.namespace ?? 'default') : '';
      out.push(await this.client.resource(gvr).create(namespace, obj));
    }
    await settle();
    return out;
  }

  async get<T extends KubeObject = KubeObject>(resource: ResourceName, name: string, namespace = 'default'): Promise<T | undefined> {
    const gvr = RESOURCES[resource];
    try {
      return await this.client.resource<T>(gvr).get(gvr.namespaced ? namespace : '', name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list<T extends KubeObject = KubeObject>(resource: ResourceName, namespace = 'default', labelSelector?: string): Promise<T[]> {
    const gvr = RESOURCES[resource];
    const list = await this.client.resource<T>(gvr).list(gvr.namespaced ? namespace : '', labelSelector ? { labelSelector } : {});
    return list.items;
  }

  /** Events in `namespace`, oldest first, as `reason: message` lines (the Events table's last columns). */
  async events(namespace = 'default', involvedName?: string): Promise<string[]> {
    const events = await this.list<Event & KubeObject>('events', namespace);
    return events
      .filter((e) => !involvedName || e.involvedObject?.name === involvedName)
      .sort((a, b) => String(a.firstTimestamp ?? '').localeCompare(String(b.firstTimestamp ?? '')))
      .map((e) => `${e.reason}: ${e.message}`);
  }

  /** Run a shell script headless (kubectl, etc.); the clock steps while it waits. */
  async sh(script: string): Promise<{ stdout: string; stderr: string; code: number }> {
    let stdout = '';
    let stderr = '';
    const code = await runHeadless(this.lab, script, {
      yieldToHost: settle,
      onOutput: (chunk) => {
        if (chunk.stream === 'stdout') stdout += chunk.text;
        else stderr += chunk.text;
      },
    });
    return { stdout, stderr, code };
  }

  stop(): void {
    this.lab.cluster.shutdown();
  }
}
