/**
 * installRunsc — what installing gVisor on a node does for containerd: `/usr/bin/runsc` and
 * `/usr/bin/containerd-shim-runsc-v1`, and the runtime `io.containerd.runsc.v1` registered with the node's
 * containerd.
 */
import type { Containerd } from '../containerd/containerd.ts';
import { SandboxShimProgram, ShimSockets } from '../sandbox/shimSockets.ts';
import { RunscProcess } from './runsc.ts';
import { RUNSC_BINARY, RunscShim, type RunscConfig } from './runscShim.ts';

/** The gVisor runtime's name. */
export const RUNSC_V1 = 'io.containerd.runsc.v1';
/** The gVisor shim binary containerd resolves the name to. */
export const RUNSC_SHIM_BINARY = '/usr/bin/containerd-shim-runsc-v1';

/** Install gVisor on `containerd`'s node and register `io.containerd.runsc.v1`; returns its listening shims. */
export function installRunsc(containerd: Containerd, config: RunscConfig): ShimSockets {
  const host = containerd.host;
  const sockets = new ShimSockets();
  host.programs.register('containerd-shim-runsc-v1', () => new SandboxShimProgram(host, sockets, (options) => new RunscShim(options, config)));
  host.programs.register('runsc', () => new RunscProcess(host));
  host.installProgram(RUNSC_SHIM_BINARY, 'containerd-shim-runsc-v1', 42_000_000);
  host.installProgram(RUNSC_BINARY, 'runsc', 58_000_000);
  containerd.registerRuntime(RUNSC_V1, sockets);
  return sockets;
}
