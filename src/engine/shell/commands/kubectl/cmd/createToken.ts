/**
 * `kubectl create token SA` (k8s.io/kubectl/pkg/cmd/create/create_token.go): a TokenRequest
 * (authentication.k8s.io/v1) POSTed to `serviceaccounts/SA/token`; prints the token, or the TokenRequest
 * with `-o` (the bare token has no trailing newline, as kubectl 1.32 writes it). The apiserver's errors
 * come back as `error: failed to create token: <message>`.
 */
import { asStatusError } from '../../../../api/errors.ts';
import { resourcePath } from '../../../../client/rest/restClient.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { printObject, type Obj } from './generator.ts';

/** A Go duration (`10m`, `1h30m`, `90s`) in seconds. */
function durationSeconds(value: string): number {
  if (value === '0' || value === '') return 0;
  const units: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = value;
  while (rest.length) {
    const m = /^(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw new KubectlError(`Error: invalid argument "${value}" for "--duration" flag: time: invalid duration "${value}"\nSee 'kubectl create token --help' for usage.`);
    total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1);
    rest = rest.slice(m[0].length);
  }
  return total;
}

export async function runCreateToken(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length !== 1) throw usageError('kubectl create token', `exactly one NAME is required, got ${args.length}`);
  const name = args[0] ?? '';
  const seconds = durationSeconds(flags.string('duration'));
  if (seconds < 0) throw new KubectlError('error: --duration must be greater than or equal to 0');
  if (seconds % 1 !== 0) throw new KubectlError('error: --duration cannot be expressed in units less than seconds');
  const boundKind = flags.string('bound-object-kind');
  const boundName = flags.string('bound-object-name');
  const boundUid = flags.string('bound-object-uid');
  if (!boundKind && (boundName || boundUid)) throw new KubectlError('error: --bound-object-name and --bound-object-uid can only be set if --bound-object-kind is provided');
  if (boundKind && !['Pod', 'Secret', 'Node'].includes(boundKind)) throw new KubectlError(`error: supported --bound-object-kind values are Node, Pod, Secret`);
  if (boundKind && !boundName) throw new KubectlError('error: --bound-object-name is required if --bound-object-kind is provided');
  const audiences = flags.all('audience');
  const request: Obj = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {
      audiences: audiences.length ? audiences : null,
      ...(seconds ? { expirationSeconds: seconds } : {}),
      boundObjectRef: boundKind ? { kind: boundKind, apiVersion: boundKind === 'Secret' || boundKind === 'Pod' || boundKind === 'Node' ? 'v1' : '', name: boundName, ...(boundUid ? { uid: boundUid } : {}) } : null,
    },
    status: { token: '', expirationTimestamp: null },
  };
  const path = resourcePath({ group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true }, f.namespace().namespace, name, 'token');
  let response;
  try {
    response = await f.client().raw('POST', path, {}, JSON.stringify(request));
  } catch (e) {
    const status = asStatusError(e);
    throw new KubectlError(`error: failed to create token: ${status ? (status.status.message ?? '') : e instanceof Error ? e.message : String(e)}`);
  }
  const result = JSON.parse(response.body) as { status?: { token?: string } };
  // The token alone, with no newline after it, as kubectl's fmt.Fprint writes it.
  if (flags.string('output') === '') f.ctx.stdout(result.status?.token ?? '');
  else printObject(f, flags, result as Obj, true, '');
  return EXIT.ok;
}
