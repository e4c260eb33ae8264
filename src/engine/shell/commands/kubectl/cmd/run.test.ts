import { describe, expect, it } from 'vitest';
import { terminalLab } from '../../../../testing/terminal.ts';

/** The laptop's prompt: kube-ps1's context and namespace, then Debian's PS1. */
const PROMPT = '(\x1b[34m\u2388\x1b[39m|\x1b[31mkubernetes-admin@kubernetes\x1b[39m:\x1b[36mdefault\x1b[39m) \x1b[01;32mstudent@laptop\x1b[00m:\x1b[01;34m~\x1b[00m$ ';

describe('kubectl at a terminal on a full node', () => {
  it('runs -it --rm --restart=Never: attaches to the pod’s shell on its tty, and deletes the pod once it exits', async () => {
    const t = await terminalLab();
    expect(await t.type('kubectl run -it --rm box --image=busybox --restart=Never -- sh\r', 30_000)).toBe(
      // The prompt and line fill the 120 columns: readline's " \r" puts the cursor on the next row.
      "kubectl run -it --rm box --image=busybox --restart=Never -- sh \r\r\nIf you don't see a command prompt, try pressing enter.\r\n",
    );
    expect(await t.type('\r')).toBe('\r\n/ # ');
    expect(await t.type('hostname; ps -o pid,tty,args\r')).toMatch(/^hostname; ps -o pid,tty,args\r\nbox\r\nPID +TT +COMMAND\r\n +1 136,0 +sh\r\n +\d+ 136,0 +ps -o pid,tty,args\r\n\/ # $/);
    expect(await t.type('exit 3\r', 10_000)).toBe(`exit 3\r\npod "box" deleted\r\npod default/box terminated (Error)\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(3);
    expect(await t.pods()).toEqual([]);
  });

  it('runs -it with the default restart policy: on exit, says how to attach again', async () => {
    const t = await terminalLab();
    await t.type('kubectl run -it shell --image=busybox -- sh\r', 30_000);
    expect(await t.type('echo hi\r')).toBe('echo hi\r\nhi\r\n/ # ');
    expect(await t.type('exit\r', 2000)).toBe(`exit\r\nSession ended, resume using 'kubectl attach shell -c shell -i -t' command when the pod is running\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(0);
    expect(await t.pods()).toEqual(['shell']);
  });

  it('gives exec -it a shell of its own on a new pty in the running container', async () => {
    const t = await terminalLab();
    await t.type('kubectl run web --image=busybox -- sleep 3600\r', 30_000);
    expect(await t.type('kubectl exec -it web -- sh\r')).toBe('kubectl exec -it web -- sh\r\n/ # ');
    expect(await t.type('echo $TERM; ps -o pid,tty,args\r')).toMatch(/^echo \$TERM; ps -o pid,tty,args\r\nxterm\r\nPID +TT +COMMAND\r\n +1 +\? +sleep 3600\r\n +\d+ 136,0 +sh\r\n +\d+ 136,0 +ps -o pid,tty,args\r\n\/ # $/);
    expect(await t.type('exit 4\r')).toBe(`exit 4\r\ncommand terminated with exit code 4\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(4);
  });
});
