/**
 * What the scenario tests share: a Lab, and scripts run in it the way a student types them — in the
 * laptop's shell (`docker …` against docker-host's dockerd, `ssh docker-host '…'` for the host side,
 * `kubectl …` against the cluster) — headless on the virtual clock, so `sleep 5` in a script moves five
 * virtual seconds and costs nothing. `defaultCluster()` is the lab's default cluster, settled.
 */
import { KUBEADM_CLUSTER } from '../../cluster/cluster.ts';
import { runHeadless } from '../../cluster/headless.ts';
import { Lab } from '../../cluster/lab.ts';

/** What a script printed, and its exit status. */
export interface ScriptResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** One macrotask: every promise continuation the last timer released has run. */
const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A scenario: one lab (by default a bare one with docker-host), its laptop shell. */
export class Scenario {
  constructor(readonly lab: Lab = new Lab()) {}

  /** Run `script` in a fresh laptop shell of the lab, to its end. */
  readonly run = async (script: string): Promise<ScriptResult> => {
    let stdout = '';
    let stderr = '';
    const status = await runHeadless(this.lab, script, {
      yieldToHost,
      onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)),
    });
    return { stdout, stderr, status };
  };

  /** Run `script`, which must succeed and print nothing on stderr; its stdout. */
  readonly out = async (script: string): Promise<string> => {
    const result = await this.run(script);
    if (result.status !== 0 || result.stderr !== '') throw new Error(`${script}\nexited ${result.status}: ${result.stderr}`);
    return result.stdout;
  };

  /** Pull images quietly, so later scripts' stderr holds only what the commands under test print. */
  async pull(...images: string[]): Promise<void> {
    await this.out(images.map((image) => `docker pull -q ${image} >/dev/null`).join('; '));
  }

  /** `docker inspect -f FORMAT NAME`, the line it prints. */
  async inspect(name: string, format: string): Promise<string> {
    return (await this.out(`docker inspect -f '${format}' ${name}`)).trimEnd();
  }
}

/** The lines of `text`, without the last newline. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** Whitespace-separated fields of each line. */
export function rows(text: string): string[][] {
  return lines(text).map((line) => line.trim().split(/\s+/));
}

/**
 * The lab's default cluster (a light control plane, two full workers, metrics-server), booted and given a
 * minute to come up: the workers pull and start kube-proxy and CoreDNS first.
 */
export async function defaultCluster(seed = 1): Promise<Scenario> {
  const scenario = new Scenario(new Lab({ seed, cluster: KUBEADM_CLUSTER }));
  await scenario.lab.cluster.boot();
  await scenario.out('sleep 60');
  return scenario;
}

/** `cat > FILE` of `text`, as a student pastes a manifest. */
export function write(file: string, text: string): string {
  return `cat > ${file} <<'END'\n${text}END\n`;
}
