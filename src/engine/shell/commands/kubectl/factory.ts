/**
 * kubectl's Factory (k8s.io/kubectl/pkg/cmd/util/factory.go): what every command gets from the global
 * flags and the kubeconfig — the namespace (`-n`, else the context's, else `default`), the REST client
 * over the lab's transport (with the user's bearer token, if it has one, and client-go's impersonation
 * headers for `--as`, `--as-group`, `--as-uid`), and a RESTMapper discovered once per invocation.
 */
import type { CommandContext } from '../../command.ts';
import { RestClient } from '../../../client/rest/restClient.ts';
import type { Transport } from '../../../client/rest/transport.ts';
import { IMPERSONATE_GROUP, IMPERSONATE_UID, IMPERSONATE_USER } from '../../../apiserver/authentication/impersonation.ts';
import { KubectlError } from './errors.ts';
import type { ParsedFlags } from './flags.ts';
import { KubeconfigFile } from './kubeconfig.ts';
import { RestMapper } from './restMapper.ts';

/** The server a default kubeconfig names: the control plane's advertised address. */
export const DEFAULT_SERVER = 'https://172.18.0.2:6443';

/** The user of kubeadm's admin.conf, whose client certificate the lab's transport carries. */
const ADMIN_KUBECONFIG_USER = 'kubernetes-admin';

export class Factory {
  private mapperPromise: Promise<RestMapper> | undefined;
  private restClient: RestClient | undefined;
  private kubeconfigFile: KubeconfigFile | undefined;

  constructor(
    readonly ctx: CommandContext,
    readonly flags: ParsedFlags,
    /** Global flags the command defines itself, so the global meaning is not given (create rolebinding's --user). */
    private readonly shadowed: ReadonlySet<string> = new Set(),
  ) {}

  /** A global flag's value, unless the command's own flag of that name hides it. */
  private global(name: string): string {
    return this.shadowed.has(name) ? '' : this.flags.string(name);
  }

  get cwd(): string {
    return this.ctx.cwd;
  }

  /** The kubeconfig file (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`). */
  kubeconfig(): KubeconfigFile {
    const fs = this.ctx.fs;
    if (!this.kubeconfigFile) {
      const home = this.ctx.env.get('HOME') ?? '/root';
      const given = this.flags.string('kubeconfig') || (this.ctx.env.get('KUBECONFIG') ?? '').split(':')[0] || `${home}/.kube/config`;
      this.kubeconfigFile = KubeconfigFile.load(fs, fs.resolve(given.replace(/^~(?=\/|$)/, home), this.cwd), DEFAULT_SERVER);
    }
    return this.kubeconfigFile;
  }

  /** The context in use: `--context` or the current one. */
  contextName(): string {
    return this.flags.string('context') || (this.kubeconfig().config['current-context'] ?? 'kubernetes-admin@kubernetes');
  }

  /** The namespace to work in and whether `-n` named it. */
  namespace(): { namespace: string; explicit: boolean } {
    if (this.flags.changed('namespace') && this.flags.string('namespace')) return { namespace: this.flags.string('namespace'), explicit: true };
    const fromContext = this.kubeconfig().context(this.contextName())?.context.namespace;
    return { namespace: fromContext || 'default', explicit: false };
  }

  client(): RestClient {
    this.restClient ??= new RestClient(this.impersonating(this.authenticating(this.ctx.kube.transport)));
    return this.restClient;
  }

  /**
   * The credentials of the user in use (`--user`, else the context's): a user with a `token` in the
   * kubeconfig, or `--token`, sends `Authorization: Bearer <token>`. kubeadm's admin user stands for its
   * client certificate, which the lab's transport carries; the apiserver checks a client certificate
   * before a bearer token, so `--token` does not change who the admin is, as with a real admin.conf.
   */
  private authenticating(transport: Transport): Transport {
    const kubeconfig = this.kubeconfig();
    const name = this.global('user') || (kubeconfig.context(this.contextName())?.context.user ?? '');
    const user = kubeconfig.user(name);
    const fromFile = typeof user?.user.token === 'string' ? user.user.token : '';
    const token = this.global('token') || fromFile;
    const hasCertificate = name === ADMIN_KUBECONFIG_USER && !fromFile;
    if (!token || hasCertificate) return transport;
    return { request: (request) => transport.request({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }) };
  }

  /**
   * client-go's ImpersonatingRoundTripper: every request carries `Impersonate-User`, `Impersonate-Uid`
   * and `Impersonate-Group` (repeated headers joined by ", ", as HTTP joins them). A uid or groups
   * without a user fail clientcmd's validation first.
   */
  private impersonating(transport: Transport): Transport {
    const user = this.flags.string('as');
    const uid = this.flags.string('as-uid');
    const groups = this.flags.all('as-group');
    if (!user && !uid && groups.length === 0) return transport;
    if (!user) {
      const authInfo = this.flags.string('user') || (this.kubeconfig().context(this.contextName())?.context.user ?? '');
      throw new KubectlError(`error: requesting uid, groups or user-extra for ${authInfo} without impersonating a user`);
    }
    const headers: Record<string, string> = { [IMPERSONATE_USER]: user };
    if (uid) headers[IMPERSONATE_UID] = uid;
    if (groups.length > 0) headers[IMPERSONATE_GROUP] = groups.join(', ');
    return { request: (request) => transport.request({ ...request, headers: { ...request.headers, ...headers } }) };
  }

  mapper(): Promise<RestMapper> {
    this.mapperPromise ??= RestMapper.discover(this.client());
    return this.mapperPromise;
  }

  /** The server URL of the context in use. */
  server(): string {
    const kc = this.kubeconfig();
    const context = kc.context(this.contextName());
    return kc.cluster(context?.context.cluster)?.cluster.server ?? DEFAULT_SERVER;
  }
}
