// The front door of the engine: a Lab (clock, seed, the cluster, shells) and the headless runner used by
// `kubelab run` and scenario tests. The Cluster is etcd and kube-apiserver plus what its spec asks for:
// kube-controller-manager, kube-scheduler, lightweight nodes and kubeadm's addons (KUBEADM_CLUSTER).
export { Lab, type LabRecord, type ClockRecord, type SessionRecord, type LabSpec, type OpenSessionOptions } from './lab.ts';
export { Cluster, CONTROL_PLANE_ADDRESS, KUBEADM_CLUSTER, type ClusterOptions, type ClusterSpec } from './cluster.ts';
export { runHeadless, EXIT_GAVE_UP, type HeadlessOptions } from './headless.ts';
