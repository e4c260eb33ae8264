/**
 * kubectl's Factory (k8s.io/kubectl/pkg/cmd/util/factory.go): what every command gets from the global
 * flags and the kubeconfig — the namespace (`-n`, else the context's, else `default`), the REST client
 * over the lab's transport, and a RESTMapper discovered once per invocation.
 */
import type { CommandContext } from '../../command.ts';
import { RestClient } from '../../../client/rest/restClient.ts';
import type { ParsedFlags } from './flags.ts';
import { KubeconfigFile } from './kubeconfig.ts';
import { RestMapper } from './restMapper.ts';

/** The server a default kubeconfig names: the control plane's advertised address. */
export const DEFAULT_SERVER = 'https://172.18.0.2:6443';

export class Factory {
  private mapperPromise: Promise<RestMapper> | undefined;
  private restClient: RestClient | undefined;
  private kubeconfigFile: KubeconfigFile | undefined;

  constructor(
    readonly ctx: CommandContext,
    readonly flags: ParsedFlags,
  ) {}

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
    this.restClient ??= new RestClient(this.ctx.kube.transport);
    return this.restClient;
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
