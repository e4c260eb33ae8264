/**
 * The scheduling explanation: what one scheduling attempt of one pod saw and decided — every evaluated
 * node's Filter verdict (and which plugin rejected it, with what reason), every Score plugin's raw,
 * normalized and weighted score per feasible node, the totals, and the pick or the failure message.
 * Upstream keeps this only in logs at high verbosity; the lab keeps the last record per pod so the
 * student can ask why a pod went where it went (`lab explain-schedule`), and the trace and diagrams get
 * each record as it happens.
 *
 * Records are compact: node names are shared arrays, scores typed arrays in node order. The store keeps
 * the most recent record per pod and at most `capacity` pods, dropping the least recently scheduled.
 */

/** A node the filters rejected. */
export interface FilterRejection {
  node: string;
  /** The plugin that rejected it ("" for a status not from a plugin, e.g. PreFilter narrowing). */
  plugin: string;
  /** The status code's name: Unschedulable, UnschedulableAndUnresolvable, Error. */
  code: string;
  reasons: readonly string[];
}

/** One Score plugin's scores, in the order of `ScoreTable.nodes`. */
export interface PluginScoreColumn {
  plugin: string;
  weight: number;
  raw: Int32Array;
  normalized: Int32Array;
}

export interface ScoreTable {
  /** The feasible nodes that were scored. */
  nodes: readonly string[];
  plugins: readonly PluginScoreColumn[];
  /** Σ normalized × weight per node. */
  totals: Int32Array;
}

export type ScheduleOutcome =
  | { kind: 'Scheduled'; node: string }
  | { kind: 'Unschedulable' | 'SchedulerError'; message: string; nominatedNode?: string };

export interface ScheduleExplanation {
  namespace: string;
  name: string;
  uid: string;
  /** Virtual time of the attempt (ms since the Unix epoch). */
  time: number;
  /** This pod's attempt number (1 for the first). */
  attempt: number;
  /** The scheduler profile (spec.schedulerName). */
  profile: string;
  /** Nodes in the snapshot. */
  nodesTotal: number;
  /** Nodes the filters looked at (feasible + rejected), upstream's EvaluatedNodes. */
  nodesEvaluated: number;
  /** Nodes that passed every filter. */
  feasibleNodes: readonly string[];
  /** Nodes a filter rejected, in evaluation order. */
  rejected: readonly FilterRejection[];
  /**
   * The Filter plugins run on each evaluated node, in order (the profile's, less those PreFilter said to
   * skip for this pod); a node passes when all pass, and the first that fails rejects it (the rest do not
   * run). Absent when PreFilter rejected the pod.
   */
  filterPlugins?: readonly string[];
  /** PreFilter's message when it rejected the pod before any node was filtered. */
  preFilterMessage?: string;
  /** The nominated node tried first, if the pod had one. */
  nominatedNode?: string;
  /** Absent when scoring did not run (one feasible node, or none). */
  scores?: ScoreTable;
  outcome: ScheduleOutcome;
}

/** Last-record-per-pod store with LRU eviction. */
export class ExplanationStore {
  private readonly records = new Map<string, ScheduleExplanation>();

  constructor(readonly capacity = 128) {}

  get size(): number {
    return this.records.size;
  }

  set(record: ScheduleExplanation): void {
    const key = `${record.namespace}/${record.name}`;
    this.records.delete(key);
    this.records.set(key, record);
    if (this.records.size > this.capacity) this.records.delete(this.records.keys().next().value!);
  }

  get(namespace: string, name: string): ScheduleExplanation | undefined {
    return this.records.get(`${namespace}/${name}`);
  }
}
