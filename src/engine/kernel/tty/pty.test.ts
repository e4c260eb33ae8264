import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Host } from '../host.ts';
import { SIGINT, SIGWINCH } from '../process/signal.ts';
import { signaledStatus } from '../process/waitStatus.ts';
import { Devpts } from './devpts.ts';
import { cfmakeraw, Pty } from './pty.ts';

function boot() {
  const clock = new Clock({ startTime: Date.UTC(2026, 0, 1) });
  const host = new Host({ clock, rng: new SeededRng(7), hostname: 'node-1', cpus: 2, memoryBytes: 2 * 1024 ** 3, cgroupVersion: 2 });
  const pty = new Devpts(host.table).openpt();
  let screen = '';
  pty.onDidOutput((text) => (screen += text));
  return { host, pty, screen: () => screen };
}

/** Every read the slave answers until nothing more is ready. */
async function reads(pty: Pty, count: number): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = [];
  for (let i = 0; i < count; i++) out.push(await pty.slave.stdin.read());
  return out;
}

describe('Pty in canonical mode', () => {
  it.each([
    ['a line, Enter as \\r', 'ls -l\r', ['ls -l\n'], 'ls -l\r\n'],
    ['DEL erases a character', 'lx\x7fs\r', ['ls\n'], 'lx\b \bs\r\n'],
    ['^U erases the line', 'rm -rf /\x15ls\r', ['ls\n'], `rm -rf /${'\b \b'.repeat(8)}ls\r\n`],
    ['^W erases a word', 'echo foo bar\x17baz\r', ['echo foo baz\n'], `echo foo bar${'\b \b'.repeat(3)}baz\r\n`],
    ['^D at the start of a line is end of file', '\x04', [undefined], ''],
    ['^D after text ends the line without a newline', 'abc\x04', ['abc'], 'abc'],
    ['control characters echo as ^X and erase as two columns', 'a\x01\x7f\r', ['a\n'], 'a^A\b \b\b \b\r\n'],
    ['two lines are two reads', 'one\rtwo\r', ['one\n', 'two\n'], 'one\r\ntwo\r\n'],
  ])('%s', async (_, keys, lines, screen) => {
    const t = boot();
    t.pty.write(keys);
    expect(await reads(t.pty, lines.length)).toEqual(lines);
    expect(t.screen()).toBe(screen);
  });

  it('hands a waiting read the line once Enter comes', async () => {
    const t = boot();
    const read = t.pty.slave.stdin.read();
    t.pty.write('hi');
    t.pty.write('\r');
    expect(await read).toBe('hi\n');
  });

  it('turns a program\'s "\\n" into "\\r\\n" (ONLCR), and leaves it with OPOST off', () => {
    const t = boot();
    t.pty.slave.stdout.write('a\nb\n');
    t.pty.termios = cfmakeraw(t.pty.termios);
    t.pty.slave.stderr.write('c\n');
    expect(t.screen()).toBe('a\r\nb\r\nc\n');
  });

  it('in raw mode hands over each key at once, with no echo and no signals', async () => {
    const t = boot();
    t.pty.termios = cfmakeraw(t.pty.termios);
    t.pty.write('\x1b[A\x03');
    expect(await t.pty.slave.stdin.read()).toBe('\x1b[A\x03');
    expect(t.screen()).toBe('');
  });
});

describe('Pty signals', () => {
  it('^C flushes the line, echoes ^C and sends SIGINT to the foreground group only', async () => {
    const t = boot();
    const table = t.host.table;
    const leader = table.clone(t.host.init);
    table.setsid(leader);
    t.pty.setControllingTerminal(leader);
    const other = table.clone(t.host.init);
    const seen: number[] = [];
    const child = table.clone(leader);
    table.sigaction(leader, SIGINT, (signal) => seen.push(signal));
    t.pty.write('half a line\x03done\r');
    expect(t.screen()).toBe('half a line^Cdone\r\n');
    expect(await t.pty.slave.stdin.read()).toBe('done\n');
    expect(seen).toEqual([SIGINT]);
    expect(child.exitStatus).toBe(signaledStatus(SIGINT, false));
    expect(other.exitState).toBeUndefined();
    expect(leader.tty).toBe('pts/0');
  });

  it('sends SIGWINCH on a new size and hangs up: SIGHUP to the leader, end of file to readers', async () => {
    const t = boot();
    const table = t.host.table;
    const leader = table.clone(t.host.init);
    table.setsid(leader);
    t.pty.setControllingTerminal(leader);
    const seen: number[] = [];
    table.sigaction(leader, SIGWINCH, (signal) => seen.push(signal));
    t.pty.resize(120, 40);
    t.pty.resize(120, 40);
    expect([seen, t.pty.cols, t.pty.rows]).toEqual([[SIGWINCH], 120, 40]);
    const read = t.pty.slave.stdin.read();
    t.pty.hangup();
    expect(await read).toBeUndefined();
    expect(leader.exitStatus).toBe(signaledStatus(1, false));
  });

  it('numbers ptys from 0 per devpts instance and reuses a number once its master is closed', () => {
    const t = boot();
    const devpts = new Devpts(t.host.table);
    const [a, b] = [devpts.openpt(), devpts.openpt()];
    a.hangup();
    expect([a.name, b.name, devpts.openpt().name, Pty.of(b.slave)]).toEqual(['pts/0', 'pts/1', 'pts/0', b]);
  });
});
