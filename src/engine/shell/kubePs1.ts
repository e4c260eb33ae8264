/**
 * kube-ps1 (jonmosco/kube-ps1, v0.9 defaults) for the laptop's prompt: `(⎈|CONTEXT:NAMESPACE) ` before
 * Debian's PS1, so the student always sees which cluster and namespace kubectl will talk to. The symbol
 * is blue, the context red, the namespace cyan, each colour closed with `\e[39m` as kube-ps1 does.
 *
 * Read afresh for every prompt from the kubeconfig kubectl reads (`$KUBECONFIG`'s first path, else
 * `~/.kube/config`), so `kubectl config set-context --current --namespace=x` or `use-context` shows at
 * the next prompt. A missing file is the one kubectl writes on first use (kubeadm's admin context, the
 * `default` namespace); an unreadable one or an empty current-context shows kube-ps1's `N/A`.
 */
import { DEFAULT_SERVER } from './commands/kubectl/factory.ts';
import { KubeconfigFile, defaultKubeconfig, type Kubeconfig } from './commands/kubectl/kubeconfig.ts';
import { debianPrompt, type PromptState } from './session.ts';

const BLUE = '\x1b[34m';
const RED = '\x1b[31m';
const CYAN = '\x1b[36m';
const RESET_FG = '\x1b[39m';

/** The kubeconfig kubectl would read now, without writing one; undefined when it cannot be read. */
function currentKubeconfig(state: Pick<PromptState, 'fs' | 'home' | 'kubeconfig'>): Kubeconfig | undefined {
  const { fs, home } = state;
  const given = (state.kubeconfig ?? '').split(':')[0] || `${home}/.kube/config`;
  const path = fs.resolve(given.replace(/^~(?=\/|$)/, home), '/');
  const stat = fs.stat(path);
  if (!stat) return defaultKubeconfig(DEFAULT_SERVER);
  if (stat.type !== 'file') return undefined;
  try {
    return KubeconfigFile.load(fs, path, DEFAULT_SERVER).config;
  } catch {
    return undefined;
  }
}

/** The context and namespace kube-ps1 shows (`N/A` for what it cannot tell). */
export function kubeContext(state: Pick<PromptState, 'fs' | 'home' | 'kubeconfig'>): { context: string; namespace: string } {
  const config = currentKubeconfig(state);
  const context = config?.['current-context'] ?? '';
  if (!config || context === '') return { context: 'N/A', namespace: 'N/A' };
  const namespace = config.contexts.find((c) => c.name === context)?.context.namespace || 'default';
  return { context, namespace };
}

/** `$(kube_ps1)` with kube-ps1's defaults, no trailing space. */
export function kubePs1(state: Pick<PromptState, 'fs' | 'home' | 'kubeconfig'>): string {
  const { context, namespace } = kubeContext(state);
  return `(${BLUE}\u2388${RESET_FG}|${RED}${context}${RESET_FG}:${CYAN}${namespace}${RESET_FG})`;
}

/** The laptop's PS1: `$(kube_ps1) ` then Debian's colour prompt. */
export function laptopPrompt(state: PromptState): string {
  return `${kubePs1(state)} ${debianPrompt(state)}`;
}
