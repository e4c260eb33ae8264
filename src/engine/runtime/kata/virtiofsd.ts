/**
 * virtiofsd — the Rust virtio-fs daemon Kata 3.x runs beside qemu for each sandbox: it shares the
 * sandbox's directory `/run/kata-containers/shared/sandboxes/<id>/shared` (where the shim bind-mounts each
 * container's rootfs) with the guest over vhost-user, serving each request as a system call of its own
 * process on the node (see SharedFs). The process sleeps between requests.
 *
 * Left out: the vhost-user socket and FUSE protocol, its sandboxing (namespaces, seccomp) and xattr
 * mapping.
 */
import type { Program, ProgramContext } from '../../kernel/process/program.ts';

/** Where Kata installs virtiofsd. */
export const VIRTIOFSD_BINARY = '/opt/kata/libexec/virtiofsd';

/** The argv Kata starts virtiofsd with to share `sharedDir`. */
export function virtiofsdArgv(sharedDir: string): string[] {
  return [VIRTIOFSD_BINARY, '--syslog', '--cache=auto', `--shared-dir=${sharedDir}`, '--fd=3', '--thread-pool-size=1', '--announce-submounts'];
}

export class Virtiofsd implements Program {
  start(sys: ProgramContext): void {
    sys.setRunState('S');
  }
}
