/**
 * CriError — a CRI call's failure as the kubelet and crictl receive it: a gRPC status whose text is
 * grpc-go's `rpc error: code = <Code> desc = <description>`. containerd maps its errdefs to codes
 * (not found → NotFound, already exists → AlreadyExists…); an error with no class is Unknown.
 */

/** The gRPC codes the CRI plugin returns. */
export type GrpcCode = 'Unknown' | 'InvalidArgument' | 'DeadlineExceeded' | 'NotFound' | 'AlreadyExists' | 'FailedPrecondition' | 'Unimplemented' | 'Internal';

export class CriError extends Error {
  override name = 'CriError';

  constructor(
    /** The status code. */
    readonly code: GrpcCode,
    /** The status description (containerd's error text). */
    readonly desc: string,
  ) {
    super(`rpc error: code = ${code} desc = ${desc}`);
  }

  /** containerd's lookup failure for a sandbox or container id (or id prefix). */
  static notFound(kind: 'sandbox' | 'container', id: string): CriError {
    return new CriError('NotFound', `an error occurred when try to find ${kind} "${id}": not found`);
  }
}

/** The gRPC code of a containerd errdefs class. */
export function codeOf(errdefs: string): GrpcCode {
  switch (errdefs) {
    case 'not found':
      return 'NotFound';
    case 'already exists':
      return 'AlreadyExists';
    case 'failed precondition':
      return 'FailedPrecondition';
    default:
      return 'Unknown';
  }
}
