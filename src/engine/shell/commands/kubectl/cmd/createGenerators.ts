/**
 * The subcommands of `kubectl create` (k8s.io/kubectl/pkg/cmd/create/create.go): one generator each,
 * under its name and its cobra aliases (`deploy`, `cm`, `ns`, `sa`, `quota`/`resourcequota`, `pdb`,
 * `pc`, `cj`, `ing`, `svc`), with `secret` and `service` as groups of their own. CREATE_HELP gives each
 * name and alias its help text, from which the lab reads the flags the command accepts.
 */
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { CREATE_HELP as TEXTS } from './createHelpTexts.ts';
import { runCreateConfigMap, runCreateSecretDockerRegistry, runCreateSecretGeneric, runCreateSecretTls } from './createConfig.ts';
import { runCreateIngress } from './createIngress.ts';
import { runCreateNamespace, runCreatePodDisruptionBudget, runCreatePriorityClass, runCreateQuota } from './createPolicy.ts';
import { runCreateClusterRole, runCreateClusterRoleBinding, runCreateRole, runCreateRoleBinding, runCreateServiceAccount } from './createRbac.ts';
import { runCreateServiceClusterIP, runCreateServiceExternalName, runCreateServiceLoadBalancer, runCreateServiceNodePort } from './createService.ts';
import { runCreateToken } from './createToken.ts';
import { runCreateCronJob, runCreateDeployment, runCreateJob } from './createWorkloads.ts';

interface GeneratorNode {
  run?: (f: Factory, flags: ParsedFlags, args: string[]) => Promise<number>;
  subcommands?: Readonly<Record<string, GeneratorNode>>;
}

interface Generator {
  readonly node: GeneratorNode;
  readonly aliases?: readonly string[];
}

const GENERATORS: Readonly<Record<string, Generator>> = {
  clusterrole: { node: { run: runCreateClusterRole } },
  clusterrolebinding: { node: { run: runCreateClusterRoleBinding } },
  configmap: { node: { run: runCreateConfigMap }, aliases: ['cm'] },
  cronjob: { node: { run: runCreateCronJob }, aliases: ['cj'] },
  deployment: { node: { run: runCreateDeployment }, aliases: ['deploy'] },
  ingress: { node: { run: runCreateIngress }, aliases: ['ing'] },
  job: { node: { run: runCreateJob } },
  namespace: { node: { run: runCreateNamespace }, aliases: ['ns'] },
  poddisruptionbudget: { node: { run: runCreatePodDisruptionBudget }, aliases: ['pdb'] },
  priorityclass: { node: { run: runCreatePriorityClass }, aliases: ['pc'] },
  quota: { node: { run: runCreateQuota }, aliases: ['resourcequota'] },
  role: { node: { run: runCreateRole } },
  rolebinding: { node: { run: runCreateRoleBinding } },
  secret: {
    node: { subcommands: { 'docker-registry': { run: runCreateSecretDockerRegistry }, generic: { run: runCreateSecretGeneric }, tls: { run: runCreateSecretTls } } },
  },
  service: {
    node: {
      subcommands: {
        clusterip: { run: runCreateServiceClusterIP },
        externalname: { run: runCreateServiceExternalName },
        loadbalancer: { run: runCreateServiceLoadBalancer },
        nodeport: { run: runCreateServiceNodePort },
      },
    },
    aliases: ['svc'],
  },
  serviceaccount: { node: { run: runCreateServiceAccount }, aliases: ['sa'] },
  token: { node: { run: runCreateToken } },
};

/** `create`'s subcommands by name and alias. */
export const CREATE_SUBCOMMANDS: Readonly<Record<string, GeneratorNode>> = Object.fromEntries(
  Object.entries(GENERATORS).flatMap(([name, g]) => [name, ...(g.aliases ?? [])].map((n) => [n, g.node])),
);

/** The help texts keyed as the command tree looks them up (`create deploy` as `create deployment`). */
export const CREATE_HELP: Readonly<Record<string, string>> = (() => {
  const out: Record<string, string> = { ...TEXTS };
  for (const [name, g] of Object.entries(GENERATORS)) {
    for (const alias of g.aliases ?? []) {
      for (const [key, text] of Object.entries(TEXTS)) {
        if (key === `create ${name}` || key.startsWith(`create ${name} `)) out[`create ${alias}${key.slice(`create ${name}`.length)}`] = text;
      }
    }
  }
  return out;
})();
