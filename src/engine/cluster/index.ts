// The front door of the engine: a Lab (clock, seed, the cluster, shells) and the headless runner used by
// `kubelab run` and scenario tests. The Cluster is etcd and kube-apiserver plus what its spec asks for:
// kube-controller-manager, kube-scheduler, lightweight and full nodes, kubeadm's addons and metrics-server
// (KUBEADM_CLUSTER: a lightweight control plane and two full workers; KUBEADM_LIGHT_CLUSTER: all lightweight).
// A LabImage is a whole lab as data (Lab.save / Lab.load): restoring one is a restore from an etcd backup.
export { Lab, LESSON_CHECKS_USER, type LabRecord, type ClockRecord, type SessionRecord, type LabSpec, type OpenSessionOptions } from './lab.ts';
export { Cluster, CONTROL_PLANE_ADDRESS, KUBEADM_CLUSTER, KUBEADM_LIGHT_CLUSTER, type ClusterOptions, type ClusterSpec } from './cluster.ts';
export { runHeadless, EXIT_GAVE_UP, type HeadlessOptions } from './headless.ts';
export { LAB_IMAGE_VERSION, LabImageError, parseLabImage, type LabImage, type LoadReport } from './labImage.ts';
