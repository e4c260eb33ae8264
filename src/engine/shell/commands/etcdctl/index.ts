// etcdctl 3.5 (v3 API) for the lab's etcd member: see etcdctl.ts for the commands, formats and what is
// left out. The lab registers `etcdctl(etcd)` on the control-plane node's shell.
export { etcdctl, type EtcdctlOptions } from './etcdctl.ts';
