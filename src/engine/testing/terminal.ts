/**
 * TestTerminal — a screen and a keyboard on a tty Session, for tests that drive a shell as a student
 * would: `type` keys, let the lab's time run, and read what the screen got.
 *
 *   const t = await terminalLab();
 *   expect(await t.type('kubectl run -it box --image=busybox -- sh\r', 30_000)).toBe('…');
 *
 * The terminal records every chunk the session writes, escape sequences and "\r\n" line ends as they are.
 * Time moves only in `type` (through the `run` it was given) and in the lab's `tick`.
 *
 * Node-only (it yields with setImmediate): tsconfig.node.json checks this folder, not the engine's.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { advanceSettled } from '../base/advance.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import { RESOURCES } from '../client/resources.ts';
import { defaultFullNodeSpec } from '../cluster/cluster.ts';
import { Lab } from '../cluster/lab.ts';
import type { Session } from '../shell/session.ts';

/** One macrotask: every promise continuation released so far has run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The screen of a tty Session, and keys typed into it. */
export class TestTerminal {
  private text = '';
  private seen = 0;

  /**
   * Start `session` (a tty) with this terminal on it. `run(ms)` lets the lab live `ms` after each key
   * typed; `typeMs` is how long when `type` is not told.
   */
  constructor(
    readonly session: Session,
    private readonly run: (ms: number) => Promise<unknown>,
    private readonly typeMs: number,
  ) {
    session.onDidWrite((chunk) => (this.text += chunk.text));
    session.start();
  }

  /** Everything the screen got. */
  get screen(): string {
    return this.text;
  }

  /** Type `keys`, let the lab run `ms`, and return what the screen got since. */
  async type(keys: string, ms = this.typeMs): Promise<string> {
    const from = this.text.length;
    this.session.input(keys);
    await this.run(ms);
    return this.text.slice(from);
  }

  /** What the screen got since the last `read` (or since the start). */
  read(): string {
    const text = this.text.slice(this.seen);
    this.seen = this.text.length;
    return text;
  }
}

/**
 * A lab with one full node (worker-1), every controller and the scheduler, booted; and a 120×40
 * terminal on the laptop at its first prompt. `type` keys and read the screen they bring (200 ms of
 * virtual time by default); `pods` names the pods in the default namespace.
 */
export async function terminalLab() {
  const lab = new Lab({ seed: 7, cluster: { fullNodes: [defaultFullNodeSpec('worker-1', 1)], scheduler: true, controllers: 'all' } });
  const client = new RestClient(lab.kube.transport);
  const tick = (ms: number) => advanceSettled(lab.clock, ms, settle);
  await lab.cluster.boot();
  await tick(0);
  await tick(2000);
  const terminal = new TestTerminal(lab.openSession({ tty: true, cols: 120, rows: 40 }), tick, 200);
  await tick(0);
  const pods = async () => (await client.resource<Pod & KubeObject>(RESOURCES.pods).list('default')).items.map((p) => p.metadata?.name);
  return { lab, client, tick, type: (keys: string, ms?: number) => terminal.type(keys, ms), session: terminal.session, pods };
}
