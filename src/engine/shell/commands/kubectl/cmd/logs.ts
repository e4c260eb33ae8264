/**
 * `kubectl logs` (k8s.io/kubectl/pkg/cmd/logs and polymorphichelpers.logsForObject): a container's log
 * through the apiserver's `pods/log` — of a pod, of the first pod of a workload (`deploy/web`,
 * `job/x`: `Found 3 pods, using pod/…`), or of every pod a `-l` selector matches (tail 10 by default).
 * `-c` or the default container (`Defaulted container …`), `--all-containers` (init, then regular, then
 * ephemeral), `-p`, `--tail`, `--since`, `--since-time`, `--timestamps`, `--limit-bytes`, `--prefix`
 * (`[pod/NAME/CONTAINER] `), and `-f`, which streams until the container stops or Ctrl-C (status 130).
 * Several followed streams run side by side, up to --max-log-requests.
 *
 * Left out: `--pod-running-timeout` waits (a workload without pods fails at once), --ignore-errors,
 * --insecure-skip-tls-verify-backend, and Go's random order of several requests (pods in list order).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { ApiResponse } from '../../../../apiserver/http.ts';
import { EXIT } from '../../../command.ts';
import { KubectlError, usageError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import { containerOrDefault, allContainerNames, hasContainer, podFor, podPath, PODS } from './podcmd.ts';
import { parseDuration } from './until.ts';

const PATH = 'kubectl logs';
const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";
/** selectorTail: what `-l` shows of each container without `--tail`. */
const SELECTOR_TAIL = 10;

interface LogRequest {
  pod: Pod;
  container: string;
}

export async function runLogs(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const selector = flags.string('selector');
  if (args.length === 0 && !selector) throw usageError(PATH, USAGE);
  if (args.length === 1 && selector) throw usageError(PATH, 'only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw usageError(PATH, USAGE);
  const container = args.length === 2 ? args[1]! : flags.string('container');
  const since = flags.changed('since') ? parseDuration(flags.string('since'), 'since') : 0;
  const tail = Number(flags.string('tail'));
  const limitBytes = Number(flags.string('limit-bytes'));
  const allContainers = flags.bool('all-containers');
  if (flags.string('since-time') && since !== 0) throw new KubectlError('error: at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (allContainers && container) throw new KubectlError(`error: --all-containers=true should not be specified with container name ${container}`);
  if (flags.changed('container') && args.length === 2) throw new KubectlError('error: only one of -c or an inline [CONTAINER] arg is allowed');
  if (limitBytes < 0) throw new KubectlError('error: --limit-bytes must be greater than 0');
  if (since < 0) throw new KubectlError('error: --since must be greater than 0');
  if (tail < -1) throw new KubectlError('error: --tail must be greater than or equal to -1');

  const { namespace } = f.namespace();
  const warn = (text: string) => f.ctx.stderr(text);
  let pods: Pod[];
  let allPods = false;
  if (selector) {
    pods = (await f.client().resource(PODS).list(namespace, { labelSelector: selector })).items as Pod[];
    allPods = true;
    if (pods.length === 0) f.ctx.stderr(`No resources found in ${namespace} namespace.\n`);
  } else {
    pods = [await podFor(f, namespace, args[0]!, (count, pod) => warn(`Found ${count} pods, using pod/${pod.metadata?.name ?? ''}\n`))];
  }
  const requests: LogRequest[] = [];
  for (const pod of pods) {
    if (allContainers) {
      const spec = pod.spec;
      for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])]) requests.push({ pod, container: c.name });
      continue;
    }
    const name = container ? container : containerOrDefault(pod, '', allPods, warn);
    if (!hasContainer(pod, name)) throw new KubectlError(`error: container ${name} is not valid for pod ${pod.metadata?.name ?? ''} out of: ${allContainerNames(pod)}`);
    requests.push({ pod, container: name });
  }

  const query: Record<string, string> = {};
  if (flags.bool('follow')) query.follow = 'true';
  if (flags.bool('previous')) query.previous = 'true';
  if (flags.bool('timestamps')) query.timestamps = 'true';
  if (flags.string('since-time')) query.sinceTime = flags.string('since-time');
  if (since > 0) query.sinceSeconds = String(Math.round(since / 1000));
  if (limitBytes > 0) query.limitBytes = String(limitBytes);
  if (selector && tail === -1 && !flags.changed('tail')) query.tailLines = String(SELECTOR_TAIL);
  else if (tail !== -1) query.tailLines = String(tail);

  const prefix = flags.bool('prefix');
  const write = (request: LogRequest) => {
    const head = prefix ? `[pod/${request.pod.metadata?.name ?? ''}/${request.container}] ` : '';
    // DefaultConsumeRequest writes whole lines, so a prefix starts each one.
    let pending = '';
    return {
      data: (chunk: string) => {
        const text = pending + chunk;
        const end = text.lastIndexOf('\n') + 1;
        pending = text.slice(end);
        if (end > 0) f.ctx.stdout(head ? text.slice(0, end).replace(/^(?=.)/gm, head) : text.slice(0, end));
      },
      end: () => {
        if (pending) f.ctx.stdout(head + pending);
        pending = '';
      },
    };
  };
  const open = (request: LogRequest): Promise<ApiResponse> =>
    f.client().raw('GET', podPath(request.pod.metadata?.namespace ?? namespace, request.pod.metadata?.name ?? '', 'log'), { ...query, container: request.container });

  const follow = flags.bool('follow');
  if (!follow || requests.length <= 1) {
    for (const request of requests) {
      const response = await open(request);
      const out = write(request);
      if (!response.stream) {
        out.data(response.body);
        out.end();
        continue;
      }
      if ((await consume(f, response, out)) === 'interrupted') return EXIT.interrupted;
    }
    return EXIT.ok;
  }
  const max = Number(flags.string('max-log-requests'));
  if (requests.length > max) {
    throw new KubectlError(`error: you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
  }
  const responses = await Promise.all(requests.map(open));
  const outcomes = await Promise.all(responses.map((r, i) => (r.stream ? consume(f, r, write(requests[i]!)) : Promise.resolve('done' as const))));
  return outcomes.includes('interrupted') ? EXIT.interrupted : EXIT.ok;
}

/** Read a streamed body to its end, or until Ctrl-C closes it. */
function consume(f: Factory, response: ApiResponse, out: { data(chunk: string): void; end(): void }): Promise<'done' | 'interrupted'> {
  const stream = response.stream!;
  return new Promise((resolve) => {
    const interrupt = f.ctx.interrupt.onDidFire(() => {
      resolve('interrupted');
      stream.stop();
    });
    stream.onData((chunk) => out.data(chunk));
    stream.onEnd(() => {
      interrupt.dispose();
      out.end();
      resolve('done');
    });
  });
}
