/**
 * ssh — OpenSSH's client, to the lab's hosts: `ssh NAME` opens a login shell on the host in this terminal
 * (every key goes to it until it ends; then `Connection to NAME closed.`), `ssh NAME COMMAND…` runs the
 * words joined by spaces with the host's `bash -c`, passing stdin, output and the exit status through.
 * An unknown name is 255 after the resolver's message. Without a terminal, `ssh NAME` runs the login shell
 * on stdin, as ssh does after `Pseudo-terminal will not be allocated…`.
 *
 * Left out: keys, known_hosts and the first-connection prompt, users other than root, port forwarding,
 * escape sequences (`~.`), and options other than those skipped here (-t, -T, -q, -l USER, -p PORT…).
 */
import type { Command, CommandContext, TerminalAttach } from '../command.ts';
import type { HostShell } from './hostShell.ts';

/** The hosts `ssh` can reach, by name. */
export interface SshHosts {
  /** The shell of host `name`, or undefined when the name resolves to nothing. */
  shell(name: string): HostShell | undefined;
}

/** OpenSSH 9.6's usage. */
const USAGE = `usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]
           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]
           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]
           [-J destination] [-L address] [-l login_name] [-m mac_spec]
           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]
           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]
           destination [command [argument ...]]
       ssh [-Q query_option]
`;

/** ssh's status when it could not connect (or the remote side went away). */
const SSH_FAILURE = 255;

/** Options that take an argument. */
const WITH_ARGUMENT = new Set(['-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-P', '-p', '-Q', '-R', '-S', '-W', '-w']);

/** The `ssh` command, reaching `hosts`. */
export function ssh(hosts: SshHosts): Command {
  return async (ctx) => {
    const args = ctx.argv.slice(1);
    let user = 'root';
    let i = 0;
    for (; i < args.length && args[i]!.startsWith('-'); i++) {
      if (WITH_ARGUMENT.has(args[i]!)) {
        if (args[i] === '-l') user = args[i + 1] ?? user;
        i++;
      }
    }
    const destination = args[i];
    if (destination === undefined) {
      ctx.stderr(USAGE);
      return SSH_FAILURE;
    }
    const at = destination.lastIndexOf('@');
    if (at >= 0) user = destination.slice(0, at);
    const name = destination.slice(at + 1);
    const shell = hosts.shell(name);
    if (!shell) {
      ctx.stderr(`ssh: Could not resolve hostname ${name}: Name or service not known\n`);
      return SSH_FAILURE;
    }
    if (user !== 'root') {
      ctx.stderr(`${user}@${name}: Permission denied (publickey).\n`);
      return SSH_FAILURE;
    }
    const command = args.slice(i + 1);
    if (command.length > 0) return remote(shell, ['bash', '-c', command.join(' ')], ctx);
    if (!ctx.terminal) {
      ctx.stderr('Pseudo-terminal will not be allocated because stdin is not a terminal.\n');
      return remote(shell, ['bash'], ctx);
    }
    return login(shell, name, ctx.terminal, ctx);
  };
}

/** `argv` run on the host with this command's stdin and output. */
function remote(shell: HostShell, argv: readonly string[], ctx: CommandContext): Promise<number> {
  let sent = false;
  const stdin = {
    read: () => {
      if (sent) return Promise.resolve(undefined);
      sent = true;
      return Promise.resolve(ctx.stdin === '' ? undefined : ctx.stdin);
    },
  };
  return shell.spawn(argv, { stdin, stdout: { write: (text) => ctx.stdout(text) }, stderr: { write: (text) => ctx.stderr(text) } }, ctx.interrupt);
}

/** An interactive login on the host in this terminal, until its shell ends. */
function login(shell: HostShell, name: string, terminal: TerminalAttach, ctx: CommandContext): Promise<number> {
  const session = shell.openSession({ id: `ssh:${name}`, tty: true, cols: terminal.cols, rows: terminal.rows });
  return new Promise((resolve) => {
    const keys = terminal.attach(
      (data) => {
        if (session.state !== 'closed') session.input(data);
      },
      { kind: 'ssh', name, user: session.user },
    );
    // What the remote shell hands its terminal to (`kubectl exec -it` on the node) is where the keys go.
    session.onDidChangeAttached((inner) => keys.retarget(inner));
    session.onDidWrite((chunk) => terminal.write(chunk.text));
    const hangUp = ctx.interrupt.onDidFire(() => session.close());
    session.onDidExit((status) => {
      keys.dispose();
      hangUp.dispose();
      ctx.stderr(`Connection to ${name} closed.\n`);
      resolve(status);
    });
    session.start();
  });
}
