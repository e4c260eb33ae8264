/**
 * RuncError — a failed runc operation, its message in runc's words (`container does not exist`,
 * `unable to start container process: exec: "foo": executable file not found in $PATH`). The runc binary
 * prints it, logs it to --log, and exits 1.
 */
export class RuncError extends Error {
  override name = 'RuncError';
}

/** libcontainer's ErrNotExist. */
export const ERR_NOT_EXIST = 'container does not exist';
/** libcontainer's ErrExist. */
export const ERR_EXIST = 'container with given ID already exists';
/** libcontainer's ErrNotRunning. */
export const ERR_NOT_RUNNING = 'container not running';
