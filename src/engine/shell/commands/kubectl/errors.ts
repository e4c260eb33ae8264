/**
 * kubectl's error reporting (k8s.io/kubectl/pkg/cmd/util/helpers.go CheckErr): server Status errors as
 * `Error from server (Reason): message`, Invalid ones with their field causes, a resource type the server
 * does not have, and everything else as `error: message`; each is printed once, followed by a newline,
 * with exit status 1. Left out: the kubeconfig validation messages kubectl prints for broken files.
 */
import { asStatusError } from '../../../api/errors.ts';

/** An error kubectl prints as it is (its message already carries any `error: ` prefix it needs). */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A usage error: `error: <message>` then `See 'kubectl <cmd> -h' for help and examples`. */
export function usageError(commandPath: string, message: string): KubectlError {
  return new KubectlError(`error: ${message}\nSee '${commandPath} -h' for help and examples`);
}

/** Several errors reported together (utilerrors.Aggregate), printed one per line. */
export class AggregateError extends Error {
  constructor(readonly errors: readonly unknown[]) {
    super(errors.map((e) => errorMessage(e)).join('\n'));
  }
}

/** The server has no resource of this type (meta.NoResourceMatchError). */
export class NoResourceMatchError extends Error {
  constructor(
    readonly resource: string,
    readonly group = '',
    readonly version = '',
  ) {
    super(`no matches for ${resource}`);
  }
}

/** What CheckErr prints for `e`, without the final newline. */
export function errorMessage(e: unknown): string {
  if (e instanceof KubectlError) return e.message;
  if (e instanceof AggregateError) return e.errors.map((x) => errorMessage(x)).join('\n');
  if (e instanceof NoResourceMatchError) {
    if (e.group && e.version) return `error: the server doesn't have a resource type "${e.resource}" in group "${e.group}" and version "${e.version}"`;
    if (e.group) return `error: the server doesn't have a resource type "${e.resource}" in group "${e.group}"`;
    if (e.version) return `error: the server doesn't have a resource type "${e.resource}" in version "${e.version}"`;
    return `error: the server doesn't have a resource type "${e.resource}"`;
  }
  const status = asStatusError(e);
  if (status) {
    const s = status.status;
    if (s.reason === 'Invalid') {
      const details = s.details;
      if (!details) return s.message ? `The request is invalid: ${s.message}` : 'The request is invalid';
      const head = details.kind || details.name ? `The ${details.kind ?? ''} ${JSON.stringify(details.name ?? '')} is invalid` : 'The request is invalid';
      const causes = (details.causes ?? []).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
      if (causes.length === 0) return head;
      if (causes.length === 1) return `${head}: ${causes[0] ?? ''}`;
      return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
    }
    if (s.reason === 'Unauthorized') return `error: You must be logged in to the server (${s.message ?? ''})`;
    if (s.reason) return `Error from server (${s.reason}): ${s.message ?? ''}`;
    return `Error from server: ${s.message ?? ''}`;
  }
  const message = e instanceof Error ? e.message : String(e);
  return message.startsWith('error: ') ? message : `error: ${message}`;
}

/** CheckErr: print the error to stderr and answer the exit status. */
export function checkErr(e: unknown, stderr: (text: string) => void): number {
  const message = errorMessage(e);
  stderr(message.endsWith('\n') ? message : `${message}\n`);
  return e instanceof KubectlError ? e.exitCode : 1;
}
