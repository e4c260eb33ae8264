/**
 * The gRPC probe (pkg/probe/grpc), at the connection level only: a blocking dial to the pod IP and port
 * that keeps retrying until the probe's timeout — a refused or unanswered connection fails with
 * `timeout: failed to connect service "10.244.1.5:9000" within 1s: context deadline exceeded` once the
 * timeout has passed — and a connection that opens counts as SERVING.
 *
 * Left out: the grpc.health.v1.Health/Check call itself (the service name, NOT_SERVING, servers without
 * the health protocol): the lab's programs speak no HTTP/2.
 */
import type { Clock } from '../../../base/clock.ts';
import type { NetNamespace } from '../../../kernel/ns/netNamespace.ts';
import type { Tcp } from '../../../kernel/net/tcp.ts';
import { dial } from './tcp.ts';
import { secondsDuration, type ProbeOutcome } from './probe.ts';

export async function grpcProbe(clock: Clock, tcp: Tcp, from: NetNamespace, host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  const deadline = clock.now() + timeoutSeconds * 1000;
  const socket = await dial(tcp, from, host, port, timeoutSeconds * 1000);
  if (typeof socket !== 'string') {
    socket.close();
    return { result: 'success', output: '' };
  }
  const left = deadline - clock.now();
  if (left > 0) await new Promise<void>((resolve) => clock.after(left, resolve, 'kubelet: grpc probe dial'));
  return { result: 'failure', output: `timeout: failed to connect service ${JSON.stringify(`${host}:${port}`)} within ${secondsDuration(timeoutSeconds)}: context deadline exceeded` };
}
