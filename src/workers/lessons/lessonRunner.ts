/**
 * The engine side of a lesson: build its starting cluster, run a step's solution, and evaluate its checks
 * against the lab's state — for the worker (the player) and for the lesson CI and `kubelab lesson` (Node).
 *
 * Starting a lesson is a fresh lab (lab.resetAll with the lesson's layout and lab hosts), then the nodes
 * and kube-system's pods settled, the lesson's files, manifests and setup commands, and the clock moved
 * on. All of it runs headless, stepping the clock as fast as the CPU allows, so a start takes no wall
 * time to speak of; then the clock plays (or stays paused, if the lesson says so).
 *
 * A check is a command run in a fresh, non-interactive shell, never the student's: on the laptop it
 * authenticates as LESSON_CHECKS_USER (the worker leaves those requests out of the diagrams); in a pod
 * it is `kubectl exec … -- sh -c`, in a container of docker-host `docker exec … sh -c`. Its result names
 * what differs: the exit status, the output, or the JSONPath value.
 */
import { runHeadless } from '../../engine/cluster/headless.ts';
import type { Lab, OpenSessionOptions } from '../../engine/cluster/lab.ts';
import { KUBEADM_CLUSTER, type ClusterSpec } from '../../engine/cluster/cluster.ts';
import { defaultFullNodeSpec } from '../../engine/cluster/cluster.ts';
import { JsonPath } from '../../engine/shell/commands/kubectl/printers/jsonpath.ts';
import type { Check, CheckFailure, LessonStart } from '../../lessons/format/types.ts';
import { parseDuration } from '../../ui/topbar/duration.ts';

/** What a command printed and its exit status. */
export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CheckResult {
  id: string;
  passed: boolean;
  /** How it failed, for the hints. */
  failure?: CheckFailure;
  /** What differs, naming the field: `exit status 1 (Error from server (NotFound): …)`, `{.status.phase} is "Pending", expected "Running"`. */
  detail?: string;
}

export class LessonStartError extends Error {
  override name = 'LessonStartError';
}

/** One macrotask: lets the promise continuations a timer released run (setImmediate, setTimeout 0…). */
export type YieldToHost = () => Promise<void>;

/** Where a command runs: the laptop (maybe as the checks' user) or a lab host. */
type Target = Pick<OpenSessionOptions, 'host' | 'lessonChecks'>;

/** The most output a check keeps, in characters (a check prints a value, not a log). */
const MAX_OUTPUT = 256 * 1024;

/** Run `script` headless on `target`, stepping the clock while it waits (the clock must be paused). */
export async function runStepped(lab: Lab, script: string, target: Target, yieldToHost: YieldToHost, maxWaitMs = 600_000): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const status = await runHeadless(lab, script, {
    yieldToHost,
    maxWaitMs,
    session: target,
    onOutput: (chunk) => {
      if (chunk.stream === 'stdout') stdout = (stdout + chunk.text).slice(0, MAX_OUTPUT);
      else stderr = (stderr + chunk.text).slice(0, MAX_OUTPUT);
    },
  });
  return { status, stdout, stderr };
}

/** Run `script` on `target` while the clock keeps its own pace (the worker's real-time clock). */
export async function runLive(lab: Lab, script: string, target: Target): Promise<CommandResult> {
  const session = lab.openSession({ tty: false, ...target });
  let stdout = '';
  let stderr = '';
  session.onDidWrite((chunk) => {
    if (chunk.stream === 'stdout') stdout = (stdout + chunk.text).slice(0, MAX_OUTPUT);
    else stderr = (stderr + chunk.text).slice(0, MAX_OUTPUT);
  });
  const status = await session.run(script);
  return { status, stdout, stderr };
}

/** The cluster a lesson starting with `workers` full workers boots: the lab's kubeadm layout, with that many workers. */
export function lessonCluster(workers = 2): ClusterSpec {
  return { ...KUBEADM_CLUSTER, fullNodes: Array.from({ length: workers }, (_, i) => defaultFullNodeSpec(`worker-${i + 1}`, i + 1)) };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Where a session name of a lesson runs, and the script that runs `command` there. */
export function commandFor(session: string, command: string): { target: Target; script: string } {
  const pod = /^pod\/([^/]+)(?:\/(.+))?$/.exec(session);
  if (pod) return { target: { lessonChecks: true }, script: `kubectl exec ${pod[1]}${pod[2] ? ` -c ${pod[2]}` : ''} -- sh -c ${quote(command)}` };
  const container = /^container\/(.+)$/.exec(session);
  if (container) return { target: { lessonChecks: true }, script: `docker exec ${container[1]} sh -c ${quote(command)}` };
  if (session === 'laptop') return { target: { lessonChecks: true }, script: command };
  return { target: { host: session, lessonChecks: true }, script: command };
}

/** Where a `run` or `solution` block's commands go: the laptop as the student, or a host. */
export function targetOf(session: string): Target {
  return session === 'laptop' ? {} : { host: session };
}

const durationMs = (text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new LessonStartError(`"${text}" is not a duration like 30s, 2m or 1h30m`);
  return parsed.ms;
};

/** How long the lesson CI waits, in virtual time, for a check to pass after its step's solution. */
export function withinMs(check: Check): number {
  return durationMs(check.within, 120_000);
}

async function mustRun(lab: Lab, what: string, script: string, target: Target, yieldToHost: YieldToHost): Promise<void> {
  const result = await runStepped(lab, script, target, yieldToHost);
  if (result.status !== 0) throw new LessonStartError(`${what} failed with exit status ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ')}`);
}

/**
 * Build a lesson's starting cluster in `lab`: a fresh lab, settled, with the lesson's files, manifests and
 * setup. The clock ends paused or playing as the lesson says (playing unless `start.clock.paused`); pass
 * `keepPaused` (the lesson CI) to leave it paused for stepping.
 */
export async function startLesson(lab: Lab, start: LessonStart, yieldToHost: YieldToHost, options: { keepPaused?: boolean } = {}): Promise<void> {
  lab.clock.pause();
  await lab.resetAll({ cluster: lessonCluster(start.workers), hosts: start.hosts ?? {} });
  const workers = start.workers ?? 2;
  await mustRun(lab, 'waiting for the nodes', `kubectl wait --for=condition=Ready nodes --all --timeout=300s >/dev/null${workers > 0 ? ' && kubectl wait --for=condition=Ready pods --all -n kube-system --timeout=300s >/dev/null' : ''}`, { lessonChecks: true }, yieldToHost);
  for (const [path, content] of Object.entries(start.files ?? {})) {
    lab.fs.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', { recursive: true });
    lab.fs.writeFile(path, content);
  }
  for (const [i, manifest] of (start.manifests ?? []).entries()) {
    const marker = 'KUBELAB_LESSON_MANIFEST';
    if (manifest.split('\n').includes(marker)) throw new LessonStartError(`manifest ${i + 1} contains the line ${marker}`);
    await mustRun(lab, `applying manifest ${i + 1}`, `kubectl apply -f - >/dev/null <<'${marker}'\n${manifest.replace(/\n?$/, '\n')}${marker}`, {}, yieldToHost);
  }
  for (const [i, step] of (start.setup ?? []).entries()) await mustRun(lab, `setup command ${i + 1} on ${step.session}`, step.run, targetOf(step.session), yieldToHost);
  const advance = durationMs(start.clock?.advance, 0);
  if (advance > 0) await runStepped(lab, `sleep ${advance / 1000}`, { lessonChecks: true }, yieldToHost, advance + 1_000);
  if (!options.keepPaused && !start.clock?.paused) lab.clock.play();
}

const show = (text: string, max = 200): string => {
  const t = text.replace(/\s+$/, '');
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
};

/** Judge a check's command result against its expectation. */
export function judge(check: Check, result: CommandResult): CheckResult {
  const { expect, id } = check;
  const fail = (failure: CheckFailure, detail: string): CheckResult => ({ id, passed: false, failure, detail });
  const status = expect.status ?? 0;
  if (result.status !== status) {
    const said = (result.stderr || result.stdout).trim().split('\n')[0];
    return fail('status', `exit status ${result.status}, expected ${status}${said ? ` (${said.length > 200 ? `${said.slice(0, 200)}…` : said})` : ''}`);
  }
  const out = result.stdout.replace(/\s+$/, '');
  if (expect.output !== undefined && out !== expect.output.replace(/\s+$/, '')) return fail('output', `the output is ${show(out)}, expected ${show(expect.output)}`);
  if (expect.jsonpath === undefined) {
    if (expect.match !== undefined && !new RegExp(expect.match, 'mu').test(result.stdout)) return fail('output', `the output ${show(out)} does not match /${expect.match}/`);
    return { id, passed: true };
  }
  let data: unknown;
  try {
    data = JSON.parse(result.stdout);
  } catch {
    return fail('missing', `the output is not JSON, so ${expect.jsonpath} cannot be read from it: ${show(out, 80)}`);
  }
  let values: unknown[];
  try {
    values = new JsonPath(expect.jsonpath, { allowMissingKeys: true }).findResults(data).flat();
  } catch (error) {
    return fail('missing', `${expect.jsonpath}: ${(error as Error).message}`);
  }
  if (values.length === 0 || values[0] === undefined || values[0] === null) return fail('missing', `${expect.jsonpath} is not set`);
  const value = values[0];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const shown = typeof value === 'string' ? JSON.stringify(value) : text;
  const number = typeof value === 'number' ? value : Number(text);
  if (expect.equals !== undefined) {
    const same = typeof expect.equals === 'number' ? number === expect.equals : text === expect.equals;
    if (!same) return fail('output', `${expect.jsonpath} is ${shown}, expected ${JSON.stringify(expect.equals)}`);
  }
  if (expect.atLeast !== undefined && !(number >= expect.atLeast)) return fail('output', `${expect.jsonpath} is ${shown}, expected at least ${expect.atLeast}`);
  if (expect.atMost !== undefined && !(number <= expect.atMost)) return fail('output', `${expect.jsonpath} is ${shown}, expected at most ${expect.atMost}`);
  if (expect.match !== undefined && !new RegExp(expect.match, 'mu').test(text)) return fail('output', `${expect.jsonpath} is ${shown}, which does not match /${expect.match}/`);
  return { id, passed: true };
}

/** Evaluate a check, with `run` running its command (runStepped in the CI, runLive in the worker). */
export async function evaluateCheck(check: Check, run: (script: string, target: Target) => Promise<CommandResult>): Promise<CheckResult> {
  const { target, script } = commandFor(check.session, check.command);
  return judge(check, await run(script, target));
}
