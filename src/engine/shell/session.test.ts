import { describe, expect, it } from 'vitest';
import { Clock, DEFAULT_EPOCH } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { builtinCommands } from './commands/index.ts';
import { MAX_INPUT_BYTES, Session, SessionClosedError } from './session.ts';

const PROMPT = '\x1b[01;32mstudent@laptop\x1b[00m:\x1b[01;34m~\x1b[00m$ ';
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function terminal() {
  const clock = new Clock();
  const session = new Session({ id: '1', clock, rng: new SeededRng(1), commands: builtinCommands(), tty: true, cols: 80 });
  let screen = '';
  session.onDidWrite((c) => (screen += c.text));
  session.start();
  return {
    clock,
    session,
    take() {
      const s = screen;
      screen = '';
      return s;
    },
  };
}

describe('Session (terminal)', () => {
  it('reports what holds the terminal from attach to dispose, following a retarget and falling back to the first target', async () => {
    const clock = new Clock();
    const commands = builtinCommands();
    const seen: unknown[] = [];
    let step: (() => void) | undefined;
    commands.set('hold', {
      summary: 'takes the terminal over',
      run: (ctx) =>
        new Promise<number>((resolve) => {
          const hold = ctx.terminal!.attach(() => undefined, { kind: 'ssh', name: 'worker-1', user: 'root' });
          step = () => {
            hold.retarget({ kind: 'exec', name: 'web-1', container: 'nginx' });
            step = () => {
              hold.retarget(undefined);
              step = () => {
                hold.dispose();
                resolve(0);
              };
            };
          };
        }),
    });
    const session = new Session({ id: '1', clock, rng: new SeededRng(1), commands, tty: true, cols: 80 });
    session.onDidChangeAttached((target) => seen.push(target));
    session.start();
    session.input('hold\r');
    await flush();
    expect(session.attached).toEqual({ kind: 'ssh', name: 'worker-1', user: 'root' });
    step!();
    expect(session.attached).toEqual({ kind: 'exec', name: 'web-1', container: 'nginx' });
    step!();
    step!();
    await flush();
    expect(session.attached).toBeUndefined();
    expect(seen.map((t) => (t as { name?: string } | undefined)?.name)).toEqual(['worker-1', 'web-1', 'worker-1', undefined]);
  });

  it('shows the prompt, echoes typing, and runs a line on Enter with \\r\\n output', async () => {
    const t = terminal();
    expect(t.take()).toBe(PROMPT);
    t.session.input('echo hello');
    expect(t.take()).toBe('echo hello');
    t.session.input('\r');
    await flush();
    expect(t.take()).toBe(`\r\nhello\r\n${PROMPT}`);
  });

  it('answers an unknown command like bash, with status 127', async () => {
    const t = terminal();
    t.take();
    t.session.input('kubectx\r');
    await flush();
    expect(t.take()).toBe(`kubectx\r\nbash: kubectx: command not found\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(127);
  });

  it('runs sleep on virtual time and holds typeahead until it ends', async () => {
    const t = terminal();
    t.session.input('sleep 2\r');
    await flush();
    t.take();
    expect(t.session.state).toBe('running');
    t.session.input('echo after\r');
    expect(t.take()).toBe('');
    t.clock.advance(1999);
    await flush();
    expect(t.session.state).toBe('running');
    t.clock.advance(1);
    await flush();
    expect(t.take()).toBe(`${PROMPT}echo after\r\nafter\r\n${PROMPT}`);
    expect(t.clock.now()).toBe(DEFAULT_EPOCH + 2000);
  });

  it('interrupts a running command on Ctrl-C with status 130 and drops typeahead', async () => {
    const t = terminal();
    t.session.input('sleep 100; echo not-reached\r');
    await flush();
    t.session.input('echo typed-ahead\r');
    t.take();
    t.session.input('\x03');
    await flush();
    expect(t.take()).toBe(`^C\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(130);
    expect(t.clock.state.pending).toBe(0);
  });

  it('abandons the line on Ctrl-C at the prompt', () => {
    const t = terminal();
    t.take();
    t.session.input('half typed\x03');
    expect(t.take()).toBe(`half typed^C\r\n${PROMPT}`);
  });

  it('recalls history with the arrow keys', async () => {
    const t = terminal();
    t.session.input('echo one\r');
    await flush();
    t.session.input('echo two\r');
    await flush();
    t.take();
    t.session.input('\x1b[A\x1b[A\r');
    await flush();
    expect(t.take()).toContain('one\r\n');
    t.session.input('history\r');
    await flush();
    expect(t.take()).toContain('    1  echo one\r\n    2  echo two\r\n    3  echo one\r\n    4  history\r\n');
  });

  it('runs each line of a multi-line paste in turn', async () => {
    const t = terminal();
    t.session.input('echo a\recho b\rsleep 1\recho c\r');
    await flush();
    t.clock.advance(1000);
    await flush();
    const screen = t.take();
    expect(screen.match(/\r\n(a|b|c)\r\n/g)).toEqual(['\r\na\r\n', '\r\nb\r\n', '\r\nc\r\n']);
    expect(t.session.history).toEqual(['echo a', 'echo b', 'sleep 1', 'echo c']);
  });

  it('continues an unclosed quote with the PS2 prompt', async () => {
    const t = terminal();
    t.take();
    t.session.input('echo "a\r');
    await flush();
    expect(t.take()).toBe('echo "a\r\n> ');
    t.session.input('b"\r');
    await flush();
    expect(t.take()).toBe(`b"\r\na\r\nb\r\n${PROMPT}`);
  });

  it('refuses a huge paste with a clear message and keeps working', async () => {
    const t = terminal();
    t.take();
    t.session.input('x'.repeat(1024 * 1024));
    const screen = t.take();
    expect(screen).toContain(`kubelab: input of 1048576 characters refused: the terminal takes at most ${MAX_INPUT_BYTES} at once.`);
    expect(screen.endsWith(PROMPT)).toBe(true);
    t.session.input('echo ok\r');
    await flush();
    expect(t.take()).toContain('ok\r\n');
  });

  it('closes on exit and on Ctrl-D, and refuses input afterwards', async () => {
    const t = terminal();
    const exits: number[] = [];
    t.session.onDidExit((s) => exits.push(s));
    t.session.input('exit 4\r');
    await flush();
    expect(exits).toEqual([4]);
    expect(t.session.state).toBe('closed');
    expect(() => t.session.input('echo\r')).toThrow(SessionClosedError);

    const u = terminal();
    u.take();
    u.session.input('\x04');
    expect(u.take()).toBe('\r\nexit\r\n');
    expect(u.session.state).toBe('closed');
  });

  it('clears the screen', async () => {
    const t = terminal();
    t.take();
    t.session.input('clear\r');
    await flush();
    expect(t.take()).toBe(`clear\r\n\x1b[H\x1b[2J\x1b[3J${PROMPT}`);
  });

  it('lists its commands in help', async () => {
    const t = terminal();
    t.session.input('help\r');
    await flush();
    const screen = t.take();
    for (const name of ['clear', 'date', 'echo', 'exit', 'help', 'history', 'sleep']) expect(screen).toMatch(new RegExp(`\\r\\n  ${name} +\\S`));
  });
});

describe('Session: Tab and Ctrl-R', () => {
  it('completes a command name, holding keys typed meanwhile as typeahead', async () => {
    const t = terminal();
    t.take();
    t.session.input('ech\t');
    t.session.input('hi\r');
    await flush();
    expect(t.take()).toBe(`echo hi\r\nhi\r\n${PROMPT}`);
  });

  it('completes a file name from the session\'s files', async () => {
    const t = terminal();
    t.session.input('echo x > notes.txt\r');
    await flush();
    t.take();
    t.session.input('cat no\t');
    await flush();
    expect(t.take()).toBe('cat notes.txt ');
  });

  it('finds a line with Ctrl-R and runs it on Enter', async () => {
    const t = terminal();
    t.session.input('echo one\r');
    await flush();
    t.session.input('echo two\r');
    await flush();
    t.take();
    t.session.input('\x12one');
    expect(t.take()).toContain("(reverse-i-search)`one': echo one");
    t.session.input('\r');
    await flush();
    // The normal prompt and the line again, the cursor back on the match, then to the end, and the run.
    expect(t.take()).toBe(`\r${PROMPT}echo one\x1b[J\r\x1b[23C\r\x1b[26C\r\none\r\n${PROMPT}`);
  });
});

describe('Session: syntax errors bash words its own way (bash 5.2 at a pty)', () => {
  it.each([
    // `[[` errors: bash's message alone, and `$?` stays what it was.
    ['false', '[[ a b ]]', 'bash: conditional binary operator expected\r\n', 1],
    ['true', '[[ ( a ]]', "bash: unexpected token `]]', expected `)'\r\n", 0],
    ['true', 'for ((i=0 i<2)); do :; done', "bash: syntax error: arithmetic expression required\r\nbash: syntax error: `((i=0 i<2))'\r\n", 2],
  ])('after %s, %s', async (before, line, message, status) => {
    const t = terminal();
    t.session.input(`${before}\r`);
    await flush();
    t.take();
    t.session.input(`${line}\r`);
    await flush();
    expect(t.take()).toBe(`${line}\r\n${message}${PROMPT}`);
    expect(t.session.lastStatus).toBe(status);
  });

  it('continues a [[ … ]] left open after && with PS2, and errors at once on a missing operator', async () => {
    const t = terminal();
    t.take();
    t.session.input('[[ a &&\r');
    await flush();
    expect(t.take()).toBe('[[ a &&\r\n> ');
    t.session.input('b ]] && echo ok\r');
    await flush();
    expect(t.take()).toBe(`b ]] && echo ok\r\nok\r\n${PROMPT}`);
    t.session.input('[[ a\r');
    await flush();
    expect(t.take()).toBe(`[[ a\r\nbash: unexpected token \`newline', conditional binary operator expected\r\n${PROMPT}`);
  });
});
