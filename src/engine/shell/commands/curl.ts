/**
 * curl on the student's laptop — Ubuntu 24.04's curl 8.5, the same curl the hosts' and containers'
 * program runs (programs/packages/curl.ts), through the laptop's loopback (cluster/loopback.ts): what
 * `kubectl port-forward` listens on. `localhost` (and `*.localhost`) resolves to ::1 and 127.0.0.1 as
 * systemd-resolved answers it, other names by the laptop's /etc/hosts; the lab is offline, so anything
 * else is `curl: (6) Could not resolve host`. Ctrl-C ends it with status 130.
 */
import { localNetworkFor } from '../../cluster/loopback.ts';
import { hostsLookup, runCurl } from '../../programs/packages/curl.ts';
import { EXIT, type Command } from '../command.ts';
import type { CommandSpec } from './index.ts';

/** The curl Ubuntu 24.04 ships. */
export const LAPTOP_CURL_VERSION = '8.5.0';

export const curl: Command = async (ctx) => {
  const network = localNetworkFor(ctx);
  const resolve = (name: string): string[] | undefined => {
    if (name === 'localhost' || name.endsWith('.localhost')) return ['::1', '127.0.0.1'];
    try {
      return hostsLookup(ctx.fs.readFile('/etc/hosts'), name);
    } catch {
      // No /etc/hosts on the laptop: nothing more resolves.
      return undefined;
    }
  };
  const run = runCurl({
    args: ctx.argv.slice(1),
    version: LAPTOP_CURL_VERSION,
    network,
    resolve,
    stdout: (text) => ctx.stdout(text),
    stderr: (text) => ctx.stderr(text),
    writeFile: (path, data) => ctx.fs.writeFile(ctx.fs.resolve(path, ctx.cwd), data),
    now: () => ctx.clock.now(),
  });
  const interrupted = new Promise<number>((resolve) => ctx.interrupt.onDidFire(() => resolve(EXIT.interrupted)));
  return ctx.interrupt.fired ? EXIT.interrupted : Promise.race([run, interrupted]);
};

/** The laptop's curl as its shell lists it: for the lab's laptop and `kubelab run --server`'s. */
export const LAPTOP_CURL: CommandSpec = { run: curl, summary: 'transfer a URL (curl -s localhost:8080, -i, -v, -o FILE)', path: '/usr/bin/curl' };
