/**
 * The names kube-proxy's iptables proxier gives its per-service and per-endpoint chains
 * (pkg/proxy/iptables/proxier.go): a prefix and the first 16 characters of the base32 (RFC 4648
 * standard alphabet, as Go's base32.StdEncoding) of sha256(servicePortName + protocol [+ endpoint]),
 * which keeps them within iptables' 28-character limit: KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW- from
 * the service port, KUBE-SEP- from the service port and the endpoint's `ip:port`.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const utf8 = new TextEncoder();

/** base32.StdEncoding.EncodeToString, padding included. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

/** portProtoHash: 16 characters naming a service port and protocol. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return base32(sha256(utf8.encode(servicePortName + protocol))).slice(0, 16);
}

export const SERVICE_CHAIN_PREFIX = 'KUBE-SVC-';
export const LOCAL_CHAIN_PREFIX = 'KUBE-SVL-';
export const FIREWALL_CHAIN_PREFIX = 'KUBE-FW-';
export const EXTERNAL_CHAIN_PREFIX = 'KUBE-EXT-';
export const ENDPOINT_CHAIN_PREFIX = 'KUBE-SEP-';

/** servicePortPolicyClusterChain: KUBE-SVC-<hash>. */
export function servicePortPolicyClusterChain(servicePortName: string, protocol: string): string {
  return SERVICE_CHAIN_PREFIX + portProtoHash(servicePortName, protocol);
}

/** servicePortPolicyLocalChainName: KUBE-SVL-<hash>. */
export function servicePortPolicyLocalChainName(servicePortName: string, protocol: string): string {
  return LOCAL_CHAIN_PREFIX + portProtoHash(servicePortName, protocol);
}

/** serviceExternalChainName: KUBE-EXT-<hash>. */
export function serviceExternalChainName(servicePortName: string, protocol: string): string {
  return EXTERNAL_CHAIN_PREFIX + portProtoHash(servicePortName, protocol);
}

/** servicePortEndpointChainName: KUBE-SEP-<hash of name, protocol and `ip:port`>. */
export function servicePortEndpointChainName(servicePortName: string, protocol: string, endpoint: string): string {
  return ENDPOINT_CHAIN_PREFIX + base32(sha256(utf8.encode(servicePortName + protocol + endpoint))).slice(0, 16);
}

/** isServiceChainName: one of the chains kube-proxy owns per service or endpoint. */
export function isServiceChainName(chain: string): boolean {
  return [SERVICE_CHAIN_PREFIX, LOCAL_CHAIN_PREFIX, ENDPOINT_CHAIN_PREFIX, FIREWALL_CHAIN_PREFIX, EXTERNAL_CHAIN_PREFIX].some((p) => chain.startsWith(p));
}
