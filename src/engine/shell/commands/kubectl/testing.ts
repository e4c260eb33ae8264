/**
 * A harness for kubectl's tests: runs one kubectl command line (split like bash words, see
 * coreutils/testing.ts) as the lab's shell would, against a transport (the lab's in-process one, or HTTP
 * to a `kubelab serve`), with the lab's clock, files and a home directory of /home/student.
 */
import type { Clock } from '../../../base/clock.ts';
import { SeededRng } from '../../../base/seededRng.ts';
import type { Transport } from '../../../client/rest/transport.ts';
import { Interrupt, type CommandContext, type ShellHost } from '../../command.ts';
import type { FileSystem } from '../../fs.ts';
import { words } from '../coreutils/testing.ts';
import { kubectl } from './kubectl.ts';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlTarget {
  readonly clock: Clock;
  readonly fs: FileSystem;
  readonly kube: { transport: Transport };
}

export const HOME = '/home/student';

/** The context kubectl runs in, and what it printed so far. */
export function kubectlContext(target: KubectlTarget, line: string, options: { stdin?: string; interrupt?: Interrupt } = {}) {
  const out = { stdout: '', stderr: '' };
  const ctx: CommandContext = {
    argv: ['kubectl', ...words(line)],
    env: new Map([['HOME', HOME]]),
    stdin: options.stdin ?? '',
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    interrupt: options.interrupt ?? new Interrupt(),
    clock: target.clock,
    rng: new SeededRng(1),
    // kubectl never calls on the shell.
    shell: {} as ShellHost,
    fs: target.fs,
    cwd: HOME,
    kube: target.kube,
  };
  return { ctx, out };
}

/** Run `kubectl <line>` to its end. */
export async function runKubectl(target: KubectlTarget, line: string, stdin = ''): Promise<KubectlResult> {
  const { ctx, out } = kubectlContext(target, line, { stdin });
  const code = await kubectl(ctx);
  return { ...out, code };
}

/** A Deployment of three nginx pods, as the command tests apply it. */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;
