/**
 * remotecommand — client-go's tools/remotecommand for in-process clients: POST to a pod's `exec` or
 * `attach`, take the upgraded connection and stream stdin, stdout and stderr over it. How it ends is the
 * v4 protocol's error stream decoded as errorDecoderV4 does: Success is nothing, NonZeroExitCode an
 * ExitCodeError (`command terminated with exit code 2`), any other Failure an error with the Status's
 * message. A refused upgrade is the server's Status when it sent one, else `unable to upgrade
 * connection: <body>`. Left out: SPDY and WebSocket framing (only in-process transports upgrade).
 */
import { UpgradeFailure, type StreamIO, type StreamStatus } from '../../apiserver/http.ts';
import { toStatusError, type RestClient } from './restClient.ts';

/** exec.CodeExitError: the remote command's non-zero exit. */
export class ExitCodeError extends Error {
  constructor(readonly code: number) {
    super(`command terminated with exit code ${code}`);
  }
}

/** Open `path` (…/pods/NAME/exec or /attach) with `query` and stream `io` until the remote side ends. */
export async function stream(client: RestClient, path: string, query: URLSearchParams, io: StreamIO): Promise<void> {
  const response = await client.transport.request({ method: 'POST', path, query, headers: { 'x-stream-protocol-version': 'v4.channel.k8s.io' } });
  if (response.status !== 101 || !response.connection) {
    const isStatus = (() => {
      try {
        return (JSON.parse(response.body) as { kind?: string }).kind === 'Status';
      } catch {
        return false;
      }
    })();
    if (isStatus) throw toStatusError(response);
    throw new Error(`unable to upgrade connection: ${response.body}`);
  }
  let status: StreamStatus;
  try {
    status = await response.connection.open(io);
  } catch (e) {
    if (e instanceof UpgradeFailure) throw new Error(`unable to upgrade connection: ${e.body}`, { cause: e });
    throw e;
  }
  decode(status);
}

/** errorDecoderV4. */
function decode(status: StreamStatus): void {
  if (status.status === 'Success') return;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    if (!cause) throw new Error('error stream protocol error: no ExitCode cause given');
    const code = Number(cause.message);
    if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`error stream protocol error: invalid exit code value ${JSON.stringify(cause.message)}`);
    throw new ExitCodeError(code);
  }
  throw new Error(status.message ?? '');
}
