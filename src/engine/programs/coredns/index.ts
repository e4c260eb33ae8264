/**
 * CoreDNS 1.11.3, the cluster DNS kubeadm deploys (registry.k8s.io/coredns/coredns:v1.11.3): the
 * `coredns` program (coreDns.ts) with its Corefile (corefile.ts, setup.ts), the plugins kubeadm's
 * Corefile uses — errors, health, ready, kubernetes (kubernetes.ts), prometheus (metrics.ts), forward,
 * cache, loop, reload, loadbalance — and the DNS message format (dnsMessage.ts), which DNS clients
 * (nslookup, dig) can share.
 *
 * Left out: UDP (the kernel has none yet; DNS is served over TCP), the other plugins of plugin.cfg
 * (accepted in a Corefile, without effect), upstream resolution (the lab has no outside DNS).
 */
export { COREDNS_RELEASE, COREDNS_VERSION, CoreDns } from './coreDns.ts';
export {
  CLASS_IN,
  DnsFormatError,
  RCODE,
  TYPE,
  TcpFrameReader,
  binaryToBytes,
  buildQuery,
  bytesToBinary,
  decodeMessage,
  encodeMessage,
  fqdn,
  frameTcp,
  presentRecord,
  rcodeName,
  typeName,
  typeNumber,
  type DnsFlags,
  type DnsMessage,
  type Question,
  type RecordData,
  type ResourceRecord,
} from './dnsMessage.ts';
export { DnsServer } from './server.ts';
