/**
 * Admission — the apiserver's plugin chain between authorization and storage (k8s.io/apiserver/pkg/
 * admission): mutating plugins may change the object, then (after the registry's own validation)
 * validating plugins may only refuse it. Each plugin implements just the phase it needs, as upstream's
 * MutationInterface / ValidationInterface. A refusal is a StatusError (usually 403 Forbidden with the
 * plugin's reason, as `pods "x" is forbidden: …`).
 */
import type { GroupResource } from '../../api/errors.ts';
import type { KubeObject } from '../registry/strategy.ts';
import type { UserInfo } from '../server.ts';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface Attributes {
  operation: Operation;
  resource: GroupResource;
  kind: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written (mutable for mutating plugins); undefined for DELETE. */
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  user: UserInfo;
  dryRun: boolean;
}

/** What plugins may read of the cluster: objects from the apiserver's own caches. */
export interface AdmissionLookup {
  get(group: string, resource: string, namespace: string, name: string): KubeObject | undefined;
  list(group: string, resource: string, namespace: string): KubeObject[];
}

export interface MutatingPlugin {
  readonly name: string;
  admit(attributes: Attributes, lookup: AdmissionLookup): void;
}

export interface ValidatingPlugin {
  readonly name: string;
  validate(attributes: Attributes, lookup: AdmissionLookup): void;
}

export type Plugin = Partial<MutatingPlugin & ValidatingPlugin> & { readonly name: string };

/** The enabled plugins, run in order, each phase in turn. Reports each plugin's verdict for the trace. */
export class AdmissionChain {
  constructor(
    private readonly plugins: readonly Plugin[],
    private readonly lookup: AdmissionLookup,
    private readonly onVerdict: (plugin: string, phase: 'mutating' | 'validating', outcome: 'ok' | 'denied', attributes: Attributes, detail?: string) => void = () => {},
  ) {}

  admit(attributes: Attributes): void {
    for (const p of this.plugins) if (p.admit) this.run(p.name, 'mutating', attributes, () => p.admit!(attributes, this.lookup));
  }

  validate(attributes: Attributes): void {
    for (const p of this.plugins) if (p.validate) this.run(p.name, 'validating', attributes, () => p.validate!(attributes, this.lookup));
  }

  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  private run(name: string, phase: 'mutating' | 'validating', attributes: Attributes, fn: () => void): void {
    try {
      fn();
      this.onVerdict(name, phase, 'ok', attributes);
    } catch (e) {
      this.onVerdict(name, phase, 'denied', attributes, e instanceof Error ? e.message : String(e));
      throw e;
    }
  }
}
