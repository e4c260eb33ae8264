/**
 * kubectl auth can-i (k8s.io/kubectl/pkg/cmd/auth/cani.go): a SelfSubjectAccessReview for VERB
 * TYPE[/NAME] [NAME] (or a non-resource URL), printing `yes` or `no` and exiting 0 or 1; `-q` only sets
 * the status. Left out: --list, --as impersonation, subresources.
 */
import { EXIT } from '../../../command.ts';
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';

export async function runAuthCanI(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  if (args.length < 2 || args.length > 3) {
    const detail = args.length < 2 ? 'you must specify two arguments: verb resource or verb resource/resourceName.' : `you must specify two arguments: verb resource or verb resource/resourceName.`;
    throw new KubectlError(`error: ${detail}\nSee 'kubectl auth can-i -h' for help and examples`);
  }
  const [verb = '', target = '', third] = args;
  const allNamespaces = flags.bool('all-namespaces');
  const { namespace } = f.namespace();
  const spec: Record<string, unknown> = {};
  if (target.startsWith('/')) {
    spec.nonResourceAttributes = { path: target, verb };
  } else {
    const slash = target.indexOf('/');
    const type = slash < 0 ? target : target.slice(0, slash);
    const name = slash < 0 ? (third ?? '') : target.slice(slash + 1);
    const mapper = await f.mapper();
    let group = '';
    let resource = type;
    try {
      const mapping = mapper.resourceFor(type);
      group = mapping.group;
      resource = mapping.resource;
      if (!mapping.namespaced && !allNamespaces) f.ctx.stderr(`Warning: resource '${mapping.resource}' is not namespace scoped\n\n`);
    } catch {
      f.ctx.stderr(`Warning: the server doesn't have a resource type '${type}'\n\n`);
    }
    spec.resourceAttributes = { namespace: allNamespaces ? '' : namespace, verb, group, resource, ...(name ? { name } : {}), ...(flags.string('subresource') ? { subresource: flags.string('subresource') } : {}) };
  }
  const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec };
  const response = await f.client().raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {}, JSON.stringify(body));
  const review = JSON.parse(response.body) as { status?: { allowed?: boolean } };
  const allowed = review.status?.allowed === true;
  if (!flags.bool('quiet')) f.ctx.stdout(allowed ? 'yes\n' : 'no\n');
  if (allowed) return EXIT.ok;
  return EXIT.failure;
}
