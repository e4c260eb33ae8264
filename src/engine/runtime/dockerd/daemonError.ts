/**
 * DaemonError — an error response of the Docker Engine API: the daemon's message (which the CLI prints
 * as `Error response from daemon: <message>`) and its HTTP status, from moby's errdefs classes
 * (InvalidParameter 400, NotFound 404, Conflict 409, System 500…).
 */

/** An error the daemon answers a request with. */
export class DaemonError extends Error {
  override name = 'DaemonError';

  constructor(
    message: string,
    /** The HTTP status errdefs maps the error to. */
    readonly statusCode: 400 | 403 | 404 | 409 | 500 = 500,
  ) {
    super(message);
  }

  /** `No such container: <name>` (404). */
  static noSuchContainer(name: string): DaemonError {
    return new DaemonError(`No such container: ${name}`, 404);
  }

  /** `container <id> is not running` (409). */
  static notRunning(id: string): DaemonError {
    return new DaemonError(`container ${id} is not running`, 409);
  }
}
