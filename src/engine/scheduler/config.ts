/**
 * KubeSchedulerConfiguration, the parts the lab's scheduler reads (pkg/scheduler/apis/config, v1 defaults
 * of Kubernetes 1.32): profiles (schedulerName, which plugins with which weights, plugin args),
 * percentageOfNodesToScore, pod backoff.
 *
 * A profile's `plugins.multiPoint` merges into the default set as upstream's mergePluginSet does: a
 * plugin listed in `enabled` that is a default replaces it in place (e.g. to change its weight), others
 * are appended; `disabled` removes defaults (`*` removes them all).
 */

/** A plugin in a plugin set; weight matters for Score plugins (0 or unset counts as 1). */
export interface PluginRef {
  name: string;
  weight?: number;
}

export interface PluginSet {
  enabled?: PluginRef[];
  disabled?: Array<{ name: string }>;
}

export interface Profile {
  schedulerName: string;
  plugins?: { multiPoint?: PluginSet };
  /** Plugin args by plugin name, e.g. `{ NodeResourcesFit: { scoringStrategy: { type: 'MostAllocated' } } }`. */
  pluginConfig?: Record<string, unknown>;
  /** Overrides the global percentageOfNodesToScore for this profile. */
  percentageOfNodesToScore?: number;
}

export interface SchedulerConfiguration {
  profiles?: Profile[];
  /** 0 (default) is adaptive: 50% − nodes/125, at least 5%. */
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  /** How many scheduling explanations to keep (the last per pod; 128 by default, the most recently scheduled: a record holds every scored node's scores, and a big cluster schedules thousands a second). */
  explanationCacheSize?: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** getDefaultPlugins: the default profile's MultiPoint plugins, in upstream's order. */
export const DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/** mergePluginSet over the defaults. */
export function mergePlugins(defaults: readonly PluginRef[], custom: PluginSet | undefined): PluginRef[] {
  if (!custom) return [...defaults];
  const disabled = new Set((custom.disabled ?? []).map((d) => d.name));
  const enabled = custom.enabled ?? [];
  const replaced = new Set<number>();
  const out: PluginRef[] = [];
  if (!disabled.has('*')) {
    for (const d of defaults) {
      if (disabled.has(d.name)) continue;
      const i = enabled.findIndex((e) => e.name === d.name);
      if (i >= 0) {
        replaced.add(i);
        out.push(enabled[i]!);
      } else out.push(d);
    }
  }
  enabled.forEach((e, i) => {
    if (!replaced.has(i)) out.push(e);
  });
  return out;
}

/** The profiles with defaults: one default-scheduler profile when none is given. */
export function profilesOf(config: SchedulerConfiguration | undefined): Profile[] {
  const profiles = config?.profiles ?? [];
  return profiles.length > 0 ? profiles : [{ schedulerName: DEFAULT_SCHEDULER_NAME }];
}
