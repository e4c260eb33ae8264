/**
 * How a program in a container (kube-proxy, CoreDNS, metrics-server…) reaches the apiserver: like
 * client-go, over a TCP connection its process opens to the server's address — through the node's
 * netfilter rules (10.96.0.1:443 is DNATed to an apiserver endpoint) and the node network — with the
 * bearer token it reads from a file (client-go re-reads a projected service-account token, so `token`
 * is asked again for every request).
 */
import type { Process } from '../../kernel/process/process.ts';
import type { Transport } from './transport.ts';

/** Where the apiserver is, as a kubeconfig's `server` or the in-cluster KUBERNETES_SERVICE_HOST/PORT give it. */
export interface ApiServerAddress {
  readonly address: string;
  readonly port: number;
}

export interface ApiTransportOptions {
  /** The bearer token for each request (undefined: none). */
  token: () => string | undefined;
  /** The User-Agent header, e.g. `kube-proxy/v1.32.4 (linux/amd64) kubernetes/…`. */
  userAgent: string;
}

/** A transport whose connections `process` opens in its network namespace. */
export type ApiTransportFactory = (process: Process, server: ApiServerAddress, options: ApiTransportOptions) => Transport;
