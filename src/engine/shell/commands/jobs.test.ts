/**
 * jobs, wait, kill, fg, bg and disown, and background jobs (`cmd &`) on the virtual clock. Expectations
 * came from GNU bash 5.2.15: the script tables from bash reading each script on stdin, the terminal cases
 * from bash at a pty (pids differ, so those tests read the pid from `$!` or the `[1] PID` line).
 */
import { describe, expect, it } from 'vitest';
import { PROMPT, runScript, terminal as openTerminal } from '../testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));
const run = (script: string) => runScript(script, { yieldToHost });
const terminal = () => openTerminal(yieldToHost);

describe('jobs in a script, as bash runs them', () => {
  it.each([
    ['sleep 1 & jobs; kill %1; wait %1; echo "w=$?"', '[1]+  Running                 sleep 1 &\nw=143\n', '', 0],
    ['(exit 3) & wait $!; echo $?', '3\n', '', 0],
    ['kill; echo $?', '2\n', 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', 0],
    ['kill -l KILL SIGTERM 2 0 64 65 foo; echo $?', '9\n15\nINT\nEXIT\nRTMAX\n1\n', 'bash: line 1: kill: 65: invalid signal specification\nbash: line 1: kill: foo: invalid signal specification\n', 0],
    ['kill -FOO %1; echo $?', '1\n', 'bash: line 1: kill: FOO: invalid signal specification\n', 0],
    ['kill -s; echo $?', '1\n', 'bash: line 1: kill: -s: option requires an argument\n', 0],
    ['kill 99999; echo $?', '1\n', 'bash: line 1: kill: (99999) - No such process\n', 0],
    ['kill %; echo $?', '1\n', 'bash: line 1: kill: %: no such job\n', 0],
    ['kill abc; echo $?', '1\n', 'bash: line 1: kill: abc: arguments must be process or job IDs\n', 0],
    ['sleep 1 & jobs -r; jobs -s; jobs %1; jobs %2; echo $?', '[1]+  Running                 sleep 1 &\n[1]+  Running                 sleep 1 &\n1\n', 'bash: line 1: jobs: %2: no such job\n', 0],
    ['jobs -z', '', 'bash: line 1: jobs: -z: invalid option\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n', 2],
    ['wait -n; echo $?', '127\n', '', 0],
    ['sleep 0.3 & sleep 0.1 & wait -n; echo $?; jobs', '0\n[1]+  Running                 sleep 0.3 &\n', '', 0],
    ['bg; echo $?; fg; echo $?', '1\n1\n', 'bash: line 1: bg: no job control\nbash: line 1: fg: no job control\n', 0],
    ['sleep 2 & wait; echo $?', '0\n', '', 0],
    ['sleep 0.2 & sleep 0.1 & jobs; wait %2; echo $?; jobs', '[1]-  Running                 sleep 0.2 &\n[2]+  Running                 sleep 0.1 &\n0\n[1]+  Running                 sleep 0.2 &\n', '', 0],
    ['sleep 0.1 & sleep 0.5; wait %1; echo $?', '0\n', '', 0],
    ['(exit 4) & sleep 0.5; wait $!; echo $?; wait $!; echo $?', '4\n4\n', '', 0],
    ['kill -l 9 15 143', 'KILL\nTERM\nTERM\n', '', 0],
    ['wait abc; echo $?; wait %5; echo $?; wait 999; echo $?', '1\n127\n127\n', 'bash: line 1: wait: `abc\': not a pid or valid job spec\nbash: line 1: wait: %5: no such job\nbash: line 1: wait: pid 999 is not a child of this shell\n', 0],
    ['{ sleep 0.2; echo bg; } & echo fg; wait; echo done', 'fg\nbg\ndone\n', '', 0],
    ['for i in 3 1 2; do (sleep $i; echo $i) & done; wait; echo all', '1\n2\n3\nall\n', '', 0],
    ['sleep 1 & sleep 2 & jobs; kill %-; wait; echo end', '[1]-  Running                 sleep 1 &\n[2]+  Running                 sleep 2 &\nend\n', '', 0],
    ['sleep 5 & disown; jobs; echo $?', '0\n', '', 0],
    ['x=1; { x=2; sleep 0.1; } & wait; echo $x', '1\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });

  it.each([
    ['sleep 1 & p=$!; kill -9 %1; wait; echo $p', 'Killed', 'sleep 1'],
    ['sleep 1 & p=$!; kill -HUP $p; wait; echo $p', 'Hangup', 'sleep 1'],
    ['(sleep 1; echo x) & p=$!; kill -USR1 %1; wait; echo $p', 'User defined signal 1', '( sleep 1; echo x )'],
  ])('reports a job a signal killed when it waits: %j', async (script, state, command) => {
    const { stdout, stderr } = await run(script);
    expect(stderr).toBe(`bash: line 1: ${stdout.trim().padStart(5)} ${state.padEnd(24)}${command}\n`);
  });

  it('prints each job as bash prints the command (print_cmd.c)', async () => {
    const script = [
      'for x in 1 2; do sleep 1; done &',
      'if true; then sleep 1; else echo no; fi &',
      'case a in a) sleep 1;; b) echo;; esac &',
      'until [ -e /nonexistent ]; do sleep 1; break; done &',
      '{ sleep 1; } &',
      '(sleep 1; echo a) &',
      '! sleep 1 &',
      'sleep 1 || echo x && echo y &',
      '(( i = 1 + 2 )) && sleep 1 &',
      'for ((i=0;i<3;i++)); do sleep 1; done &',
      'f() { sleep 1; }; f &',
      'echo "$(sleep 1)" > /dev/null &',
      'sleep 1 >> /tmp/o 2>&1 < /dev/null &',
      'a=(1 2) sleep 1 &',
      '{ sleep 1; while read -r l; do echo "$l"; done < /dev/null; } &',
      'sleep 1 | grep x | sort &',
      '[[ -n a && ( b == b ) ]] && sleep 1 &',
      'while [ 1 ]; do sleep 1; if false; then :; fi; break; done &',
      'jobs',
      'kill $(jobs -p); wait',
    ].join('\n');
    expect((await run(script)).stdout).toBe('[1]   Running                 for x in 1 2;\ndo\n    sleep 1;\ndone &\n[2]   Running                 if true; then\n    sleep 1;\nelse\n    echo no;\nfi &\n[3]   Running                 case a in \n    a)\n        sleep 1\n    ;;\n    b)\n        echo\n    ;;\nesac &\n[4]   Running                 until [ -e /nonexistent ]; do\n    sleep 1; break;\ndone &\n[5]   Running                 { sleep 1; } &\n[6]   Running                 ( sleep 1; echo a ) &\n[7]   Running                 sleep 1 &\n[8]   Running                 sleep 1 || echo x && echo y &\n[9]   Running                 (( i = 1 + 2 )) && sleep 1 &\n[10]   Running                 for ((i=0; i<3; i++))\ndo\n    sleep 1;\ndone &\n[11]   Running                 f &\n[12]   Running                 echo "$(sleep 1)" > /dev/null &\n[13]   Running                 sleep 1 >> /tmp/o 2>&1 < /dev/null &\n[14]   Running                 a=(1 2) sleep 1 &\n[15]   Running                 { sleep 1; while read -r l; do\n    echo "$l";\ndone < /dev/null; } &\n[16]   Running                 sleep 1 | grep x | sort &\n[17]-  Running                 [[ -n a && ( b == b ) ]] && sleep 1 &\n[18]+  Running                 while [ 1 ]; do\n    sleep 1; if false; then\n        :;\n    fi; break;\ndone &\n');
  });

  it('lists the signals as kill -l does', async () => {
    expect((await run('kill -l')).stdout).toBe(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n16) SIGSTKFLT\t17) SIGCHLD\t18) SIGCONT\t19) SIGSTOP\t20) SIGTSTP\n21) SIGTTIN\t22) SIGTTOU\t23) SIGURG\t24) SIGXCPU\t25) SIGXFSZ\n26) SIGVTALRM\t27) SIGPROF\t28) SIGWINCH\t29) SIGIO\t30) SIGPWR\n31) SIGSYS\t34) SIGRTMIN\t35) SIGRTMIN+1\t36) SIGRTMIN+2\t37) SIGRTMIN+3\n38) SIGRTMIN+4\t39) SIGRTMIN+5\t40) SIGRTMIN+6\t41) SIGRTMIN+7\t42) SIGRTMIN+8\n43) SIGRTMIN+9\t44) SIGRTMIN+10\t45) SIGRTMIN+11\t46) SIGRTMIN+12\t47) SIGRTMIN+13\n48) SIGRTMIN+14\t49) SIGRTMIN+15\t50) SIGRTMAX-14\t51) SIGRTMAX-13\t52) SIGRTMAX-12\n53) SIGRTMAX-11\t54) SIGRTMAX-10\t55) SIGRTMAX-9\t56) SIGRTMAX-8\t57) SIGRTMAX-7\n58) SIGRTMAX-6\t59) SIGRTMAX-5\t60) SIGRTMAX-4\t61) SIGRTMAX-3\t62) SIGRTMAX-2\n63) SIGRTMAX-1\t64) SIGRTMAX\t\n');
  });

  it('runs jobs side by side on the virtual clock, each output as it comes', async () => {
    expect((await run('for i in 3 1 2; do (sleep $i; echo $i) & done; echo started; wait; echo all')).stdout).toBe('started\n1\n2\n3\nall\n');
  });
});

describe('jobs at a terminal', () => {
  /** Run a line and give back what the screen got, without the echoed line and the prompt after it. */
  async function line(t: ReturnType<typeof terminal>, text: string): Promise<string> {
    t.take();
    await t.type(`${text}\r`);
    const screen = t.take();
    expect(screen.startsWith(`${text}\r\n`)).toBe(true);
    expect(screen.endsWith(PROMPT)).toBe(true);
    return screen.slice(text.length + 2, -PROMPT.length);
  }

  it('prints [N] PID, sets $!, and reports Done before the next prompt', async () => {
    const t = terminal();
    const started = await line(t, 'sleep 10 &');
    const pid = /^\[1\] (\d+)\r\n$/.exec(started)?.[1];
    expect(pid).toBeDefined();
    expect(await line(t, 'echo $!')).toBe(`${pid}\r\n`);
    expect(await line(t, 'jobs')).toBe('[1]+  Running                 sleep 10 &\r\n');
    expect(await line(t, 'jobs -l')).toBe(`[1]+ ${pid} Running                 sleep 10 &\r\n`);
    await t.advance(10_000);
    // bash says nothing until it shows its next prompt.
    expect(t.take()).toBe('');
    expect(await line(t, '')).toBe('[1]+  Done                    sleep 10\r\n');
    expect(await line(t, 'jobs')).toBe('');
  });

  it('numbers jobs and marks the current (+) and previous (-) one', async () => {
    const t = terminal();
    await line(t, 'sleep 20 &');
    await line(t, 'sleep 30 &');
    await line(t, 'sleep 5 &');
    expect(await line(t, 'jobs')).toBe('[1]   Running                 sleep 20 &\r\n[2]-  Running                 sleep 30 &\r\n[3]+  Running                 sleep 5 &\r\n');
    expect(await line(t, 'kill %2')).toBe('[2]-  Terminated              sleep 30\r\n');
    // A new job takes the number after the highest in use.
    expect(await line(t, 'false &')).toMatch(/^\[4\] \d+\r\n$/);
    expect(await line(t, '')).toBe('[4]+  Exit 1                  false\r\n');
    await t.advance(5000);
    expect(await line(t, 'jobs')).toBe('[1]-  Running                 sleep 20 &\r\n[3]+  Done                    sleep 5\r\n');
    expect(await line(t, 'jobs')).toBe('[1]+  Running                 sleep 20 &\r\n');
  });

  it('writes a job\'s output as it comes, while the prompt waits', async () => {
    const t = terminal();
    await line(t, '{ sleep 1; echo tick; } &');
    await t.advance(1000);
    expect(t.take()).toBe('tick\r\n');
  });

  it('interrupts only the foreground command on Ctrl-C', async () => {
    const t = terminal();
    await line(t, 'sleep 60 &');
    await t.type('sleep 100\r');
    await t.type('\x03');
    expect(t.session.lastStatus).toBe(130);
    expect(await line(t, 'jobs')).toBe('[1]+  Running                 sleep 60 &\r\n');
  });

  it('waits for a job on the virtual clock, and reports it after the wait', async () => {
    const t = terminal();
    await line(t, '(sleep 2; exit 3) &');
    t.take();
    await t.type('wait %1; echo "w=$?"\r');
    await t.advance(1999);
    expect(t.take()).toBe('wait %1; echo "w=$?"\r\n');
    await t.advance(1);
    expect(t.take()).toBe(`[1]+  Exit 3                  ( sleep 2; exit 3 )\r\nw=3\r\n${PROMPT}`);
  });

  it('stops waiting on Ctrl-C and leaves the job running', async () => {
    const t = terminal();
    await line(t, 'sleep 60 &');
    await t.type('wait\r');
    await t.type('\x03');
    expect(t.session.lastStatus).toBe(130);
    expect(await line(t, 'jobs')).toBe('[1]+  Running                 sleep 60 &\r\n');
  });

  it('brings a job to the foreground with fg (Ctrl-C then kills it), and bg finds it running', async () => {
    const t = terminal();
    await line(t, 'sleep 60 &');
    expect(await line(t, 'bg')).toBe('bash: bg: job 1 already in background\r\n');
    t.take();
    await t.type('fg\r');
    expect(t.take()).toBe('fg\r\nsleep 60\r\n');
    await t.type('\x03');
    expect(t.take()).toBe(`^C\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(130);
    expect(await line(t, 'jobs')).toBe('');
    expect(await line(t, 'fg')).toBe('bash: fg: current: no such job\r\n');
  });

  it('hangs up its jobs when the session closes', async () => {
    const t = terminal();
    await line(t, 'sleep 60 &');
    t.session.close();
    expect(t.clock.state.pending).toBe(0);
  });
});
