/**
 * The TCP probe (pkg/probe/tcp): a connect from the kubelet's network namespace to the host and port,
 * closed at once; the dial's error (Go's `dial tcp 10.244.1.5:8080: connect: connection refused`, or
 * `i/o timeout` when nothing answers within the probe's timeout) is the failure's message.
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { NetNamespace } from '../../../kernel/ns/netNamespace.ts';
import type { Tcp } from '../../../kernel/net/tcp.ts';
import type { TcpSocket } from '../../../kernel/net/socket.ts';
import type { ProbeOutcome } from './probe.ts';

/** Go's net.OpError text for a failed dial: `dial tcp <addr>: connect: connection refused`. */
export function dialError(address: string, port: number, error: KernelError): string {
  const addr = `${address}:${port}`;
  if (error.code === 'ETIMEDOUT') return `dial tcp ${addr}: i/o timeout`;
  return `dial tcp ${addr}: connect: ${error.describe.charAt(0).toLowerCase()}${error.describe.slice(1)}`;
}

/** Dial with a timeout: the socket, or the dial's error text. */
export async function dial(tcp: Tcp, from: NetNamespace, address: string, port: number, timeoutMs: number): Promise<TcpSocket | string> {
  try {
    return await tcp.connect(from, { address, port }, { timeoutMs });
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    return dialError(address, port, error);
  }
}

export async function tcpProbe(tcp: Tcp, from: NetNamespace, host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  const socket = await dial(tcp, from, host, port, timeoutSeconds * 1000);
  if (typeof socket === 'string') return { result: 'failure', output: socket };
  socket.close();
  return { result: 'success', output: '' };
}
