/**
 * The in-tree plugin registry (pkg/scheduler/framework/plugins/registry.go): plugin name → factory. A
 * profile names plugins; the framework builds them from here and never asks which one is which.
 * Left out: VolumeBinding, VolumeRestrictions, VolumeZone, NodeVolumeLimits (the lab has no volume
 * topology or attach limits) and DynamicResources.
 */
import type { PluginFactory } from '../framework/interface.ts';
import { DefaultBinder } from './defaultbinder/defaultBinder.ts';
import { DefaultPreemption, type DefaultPreemptionArgs } from './defaultpreemption/defaultPreemption.ts';
import { ImageLocality } from './imagelocality/imageLocality.ts';
import { InterPodAffinity, type InterPodAffinityArgs } from './interpodaffinity/interPodAffinity.ts';
import { NodeAffinity, type NodeAffinityArgs } from './nodeaffinity/nodeAffinity.ts';
import { NodeName } from './nodename/nodeName.ts';
import { NodePorts } from './nodeports/nodePorts.ts';
import type { NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs } from './noderesources/args.ts';
import { BalancedAllocation } from './noderesources/balancedAllocation.ts';
import { Fit } from './noderesources/fit.ts';
import { NodeUnschedulable } from './nodeunschedulable/nodeUnschedulable.ts';
import { PodTopologySpread, type PodTopologySpreadArgs } from './podtopologyspread/podTopologySpread.ts';
import { PrioritySort } from './queuesort/prioritySort.ts';
import { SchedulingGates } from './schedulinggates/schedulingGates.ts';
import { TaintToleration } from './tainttoleration/taintToleration.ts';

export type Registry = Readonly<Record<string, PluginFactory>>;

export const IN_TREE_REGISTRY: Registry = {
  [SchedulingGates.NAME]: () => new SchedulingGates(),
  [PrioritySort.NAME]: () => new PrioritySort(),
  [NodeUnschedulable.NAME]: () => new NodeUnschedulable(),
  [NodeName.NAME]: () => new NodeName(),
  [TaintToleration.NAME]: () => new TaintToleration(),
  [NodeAffinity.NAME]: (args) => new NodeAffinity(args as NodeAffinityArgs | undefined),
  [NodePorts.NAME]: () => new NodePorts(),
  [Fit.NAME]: (args) => new Fit(args as NodeResourcesFitArgs | undefined),
  [PodTopologySpread.NAME]: (args, handle) => new PodTopologySpread(args as PodTopologySpreadArgs | undefined, handle),
  [InterPodAffinity.NAME]: (args, handle) => new InterPodAffinity(args as InterPodAffinityArgs | undefined, handle),
  [DefaultPreemption.NAME]: (args, handle) => new DefaultPreemption(args as DefaultPreemptionArgs | undefined, handle),
  [BalancedAllocation.NAME]: (args) => new BalancedAllocation(args as NodeResourcesBalancedAllocationArgs | undefined),
  [ImageLocality.NAME]: (_args, handle) => new ImageLocality(handle),
  [DefaultBinder.NAME]: (_args, handle) => new DefaultBinder(handle),
};
