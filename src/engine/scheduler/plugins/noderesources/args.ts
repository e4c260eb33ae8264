/**
 * NodeResourcesFitArgs and NodeResourcesBalancedAllocationArgs (pkg/scheduler/apis/config, v1 defaults
 * and validation_pluginargs.go): which resources count and how much, and the scoring strategy.
 */
import { type FieldError, aggregateMessage, field } from '../../../api/field/errors.ts';
import { Path } from '../../../api/field/path.ts';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources?: ResourceSpec[];
  requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
}

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: ScoringStrategy;
}

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

/** The default resources: cpu and memory, weight 1 each. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** MaxCustomPriorityScore: the top of a RequestedToCapacityRatio shape's score scale. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
/** MaxUtilization. */
export const MAX_UTILIZATION = 100;

/** Invalid plugin args: the message is upstream's aggregated field errors. */
export class PluginArgsError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(aggregateMessage(errors));
    this.name = 'PluginArgsError';
  }
}

function validateResources(resources: readonly ResourceSpec[], path: Path): FieldError[] {
  const errs: FieldError[] = [];
  resources.forEach((r, i) => {
    if (r.weight <= 0 || r.weight > 100) errs.push(field.invalid(path.index(i).child('weight'), r.weight, `resource weight of ${r.name} not in valid range [1, 100]`));
  });
  return errs;
}

function validateShape(shape: readonly UtilizationShapePoint[], path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (shape.length === 0) return [field.required(path, 'at least one point must be specified')];
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > MAX_UTILIZATION) errs.push(field.invalid(path.index(i).child('utilization'), p.utilization, `not in valid range [0, ${MAX_UTILIZATION}]`));
    else if (i > 0 && p.utilization <= shape[i - 1]!.utilization) errs.push(field.invalid(path.index(i).child('utilization'), p.utilization, 'utilization values must be sorted in increasing order'));
    if (p.score < 0 || p.score > MAX_CUSTOM_PRIORITY_SCORE) errs.push(field.invalid(path.index(i).child('score'), p.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`));
  });
  return errs;
}

/** NodeResourcesFitArgs with the defaults filled in. */
export interface ResolvedFitArgs {
  ignoredResources: string[];
  ignoredResourceGroups: string[];
  scoringStrategy: ScoringStrategy & { resources: ResourceSpec[] };
}

/** SetDefaults + ValidateNodeResourcesFitArgs; throws a PluginArgsError. */
export function fitArgsWithDefaults(args: NodeResourcesFitArgs | undefined): ResolvedFitArgs {
  const strategy = args?.scoringStrategy ?? { type: 'LeastAllocated' };
  const resources = strategy.resources ?? [...DEFAULT_RESOURCES];
  const path = Path.of('scoringStrategy');
  const errs: FieldError[] = [];
  if (!['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'].includes(strategy.type)) {
    errs.push(field.notSupported(path.child('type'), strategy.type, ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio']));
  }
  errs.push(...validateResources(resources, path.child('resources')));
  if (strategy.type === 'RequestedToCapacityRatio') {
    errs.push(...validateShape(strategy.requestedToCapacityRatio?.shape ?? [], path.child('requestedToCapacityRatio').child('shape')));
  }
  if (errs.length > 0) throw new PluginArgsError(errs);
  return {
    ignoredResources: args?.ignoredResources ?? [],
    ignoredResourceGroups: args?.ignoredResourceGroups ?? [],
    scoringStrategy: { ...strategy, resources },
  };
}

/** SetDefaults + ValidateNodeResourcesBalancedAllocationArgs. */
export function balancedArgsWithDefaults(args: NodeResourcesBalancedAllocationArgs | undefined): ResourceSpec[] {
  const resources = args?.resources ?? [...DEFAULT_RESOURCES];
  const errs: FieldError[] = [];
  resources.forEach((r, i) => {
    if (r.weight !== 1) errs.push(field.invalid(Path.of('resources').index(i).child('weight'), r.weight, 'must be 1'));
  });
  if (errs.length > 0) throw new PluginArgsError(errs);
  return resources;
}
