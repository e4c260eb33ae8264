/**
 * The kubelet's stats (pkg/kubelet/stats and server/stats): `/stats/summary` from the node's cgroups and
 * the CRI, with cadvisor's housekeeping samples. Left out: system containers, network, volumes, the
 * CRI-only stats provider.
 */
export { HOUSEKEEPING_INTERVAL_MS, SummaryProvider, type PodOfNode, type SummaryProviderOptions, type SummarySource } from './summaryProvider.ts';
export type * from './types.ts';
