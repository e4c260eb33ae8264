/**
 * ContainerdError — an error of a containerd call, with the errdefs code its gRPC status carries; its
 * message is what `ctr` and dockerd show (`failed to create shim task: OCI runtime create failed: …:
 * unknown`).
 */
export class ContainerdError extends Error {
  override name = 'ContainerdError';

  constructor(
    message: string,
    /** errdefs: not found, already exists, failed precondition, unknown. */
    readonly code: 'unknown' | 'not found' | 'already exists' | 'failed precondition' = 'unknown',
  ) {
    super(message);
  }
}
