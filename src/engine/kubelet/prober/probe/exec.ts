/**
 * The exec probe (pkg/probe/exec with the kubelet's RunInContainer over CRI ExecSync): the command runs
 * in the container with the probe's timeout; exit 0 is success, any other exit a failure whose output
 * (stdout then stderr, at most 10 KiB) is the message. A command still running at the timeout is killed
 * and fails with `command "<cmd>" timed out` (ExecProbeTimeout, on since 1.20); any other CRI error makes
 * the probe unknown (ProbeError).
 */
import { CriError } from '../../../runtime/cri/criError.ts';
import type { CriService } from '../../../runtime/cri/criService.ts';
import { ProbeError, type ProbeOutcome } from './probe.ts';

/** maxReadLength: what the exec prober keeps of the output. */
export const EXEC_MAX_OUTPUT = 10 * 1024;

export async function execProbe(cri: CriService, containerId: string, cmd: readonly string[], timeoutSeconds: number): Promise<ProbeOutcome> {
  try {
    const r = await cri.execSync({ containerId, cmd: [...cmd], timeout: timeoutSeconds });
    const output = (r.stdout + r.stderr).slice(0, EXEC_MAX_OUTPUT);
    return { result: r.exitCode === 0 ? 'success' : 'failure', output };
  } catch (error) {
    if (!(error instanceof CriError)) throw error;
    // containerd returns the exec's expired context, which errdefs maps to DeadlineExceeded.
    if (error.code === 'DeadlineExceeded' || error.desc.endsWith('context deadline exceeded')) {
      return { result: 'failure', output: `command ${JSON.stringify(cmd.join(' '))} timed out` };
    }
    throw new ProbeError(error.message);
  }
}
