// The front door of the engine: a Lab (clock, seed, the cluster, shells) and the headless runner used by
// `kubelab run` and scenario tests. The Cluster is the control plane (etcd and kube-apiserver); the
// controllers, scheduler and nodes arrive with later issues.
export { Lab, type LabRecord, type ClockRecord, type SessionRecord, type LabSpec, type OpenSessionOptions } from './lab.ts';
export { Cluster, CONTROL_PLANE_ADDRESS, type ClusterOptions } from './cluster.ts';
export { runHeadless, EXIT_GAVE_UP, type HeadlessOptions } from './headless.ts';
