/**
 * The shell's language, run headlessly and compared with GNU bash 5.2 (outputs taken from `bash` reading
 * the same script on stdin). `cat` and `printenv` here are small test doubles over ctx.stdin / ctx.env.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { EXIT, type Command } from './command.ts';
import { builtinCommands } from './commands/index.ts';
import { FsError, MemoryFileSystem } from './fs.ts';
import { Session } from './session.ts';

const cat: Command = (ctx) => {
  if (ctx.argv.length === 1) ctx.stdout(ctx.stdin);
  for (const file of ctx.argv.slice(1)) {
    try {
      ctx.stdout(ctx.fs.readFile(ctx.fs.resolve(file, ctx.cwd)));
    } catch (error) {
      if (!(error instanceof FsError)) throw error;
      ctx.stderr(`cat: ${file}: ${error.describe}\n`);
      return EXIT.failure;
    }
  }
  return EXIT.ok;
};
const printenv: Command = (ctx) => {
  const value = ctx.env.get(ctx.argv[1] ?? '');
  if (value === undefined) return EXIT.failure;
  ctx.stdout(value + '\n');
  return EXIT.ok;
};

async function runScript(script: string, fs = new MemoryFileSystem(new Clock())): Promise<{ stdout: string; stderr: string; status: number }> {
  for (const dir of ['/home/student', '/tmp']) fs.mkdir(dir, { recursive: true });
  const commands = builtinCommands();
  commands.set('cat', { run: cat, summary: 'test double' });
  commands.set('printenv', { run: printenv, summary: 'test double' });
  const session = new Session({ id: '1', clock: new Clock(), rng: new SeededRng(1), commands, tty: false, fs });
  let stdout = '';
  let stderr = '';
  session.onDidWrite((c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)));
  const status = await session.run(script);
  return { stdout, stderr, status };
}

describe('the shell language, as bash runs it', () => {
  it.each([
    ['x=5; echo ${x:-d} ${y:-d} ${#x} "$x$x"', '5 d 1 55\n', '', 0],
    ['f() { echo "$#:$1:$@"; return 3; }\nf a "b c"; echo $?', '2:a:a b c\n3\n', '', 0],
    ['for i in 1 2 3; do if [ $i -eq 2 ]; then continue; fi; echo $i; done', '1\n3\n', '', 0],
    ['i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo -n $i; done; echo', '123\n', '', 0],
    ['case abc in a*) echo yes;; *) echo no;; esac', 'yes\n', '', 0],
    ['echo $(echo a; echo b) "$(echo  c   d)"', 'a b c d\n', '', 0],
    ['echo `echo back`', 'back\n', '', 0],
    ['cat <<EOF\nhi $USER\nEOF', 'hi student\n', '', 0],
    ["cat <<'EOF'\nhi $USER\nEOF", 'hi $USER\n', '', 0],
    ['cat <<-EOF\n\tindented\n\tEOF', 'indented\n', '', 0],
    ['X=1 printenv X; echo "${X-unset}"', '1\nunset\n', '', 0],
    ['echo hi > /tmp/f; echo there >> /tmp/f; cat < /tmp/f', 'hi\nthere\n', '', 0],
    ['nosuch 2>/tmp/err; echo $?; cat /tmp/err', '127\nbash: line 1: nosuch: command not found\n', '', 0],
    ['echo a && false || echo b; ! true; echo $?', 'a\nb\n1\n', '', 0],
    ['set -e; true; false; echo not-here', '', '', 1],
    ['a="1 2   3"; for w in $a; do echo "[$w]"; done; for w in "$a"; do echo "[$w]"; done', '[1]\n[2]\n[3]\n[1 2   3]\n', '', 0],
    ['printf "%s-%d\\n" a 1 b 2', 'a-1\nb-2\n', '', 0],
    ['test -d /tmp && echo dir; [ -f /tmp ] || echo notfile; [ abc = abc ]; echo $?', 'dir\nnotfile\n0\n', '', 0],
    ['type cd; type -t echo; type nope; echo $?', 'cd is a shell builtin\nbuiltin\n1\n', 'bash: line 1: type: nope: not found\n', 0],
    ['cd /tmp; pwd; cd /nonexistent; echo $?', '/tmp\n1\n', 'bash: line 1: cd: /nonexistent: No such file or directory\n', 0],
    ['unset x; x=1; unset x; echo "[${x}]"', '[]\n', '', 0],
    ['f() { g=1; }; f; echo $g; (x=sub; echo $x); echo "[$x]"', '1\nsub\n[]\n', '', 0],
    ['echo ${z:?gone}; echo after', '', 'bash: line 1: z: gone\n', 1],
    ['if false; then echo a; elif true; then echo b; else echo c; fi', 'b\n', '', 0],
    ['echo "$((7 / 2)) $((2 ** 10)) $((1 < 2))"', '3 1024 1\n', '', 0],
    ['for x in 1 2; do for y in a b; do [ $y = b ] && break 2; echo $x$y; done; done', '1a\n', '', 0],
    ["echo 'single $x' \"double \\$x\" \\$x", 'single $x double $x $x\n', '', 0],
    ['echo one; echo two >&2', 'one\n', 'two\n', 0],
    ['until true; do :; done; echo $?', '0\n', '', 0],
    ["echo $'a\\tb'", 'a\tb\n', '', 0],
    ['if true; then\necho a\nfi fi', '', "bash: line 3: syntax error near unexpected token `fi'\nbash: line 3: `fi fi'\n", 2],
    ['echo a | { cat; echo b; }', 'a\nb\n', '', 0],
    ['cd; pwd; cd /tmp; cd -; cd ~; echo ~', '/home/student\n/home/student\n/home/student\n', '', 0],
    ['export FOO=bar; printenv FOO; export -n FOO; printenv FOO; echo $?', 'bar\n1\n', '', 0],
    ['cat <<EOF\nhello', 'hello\n', "bash: line 2: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n", 0],
    ['echo x 2>&1 >/tmp/o; cat /tmp/o; echo y &>/tmp/o; cat /tmp/o', 'x\ny\n', '', 0],
    ['cat <<< "here string"', 'here string\n', '', 0],
    ['touch_it() { echo made > "$1"; }; touch_it /tmp/a.txt; touch_it /tmp/b.txt; echo /tmp/*.txt /tmp/*.none', '/tmp/a.txt /tmp/b.txt /tmp/*.none\n', '', 0],
    ['set -- a b c; echo $# $2; shift; echo "$@"', '3 b\nb c\n', '', 0],
    ['f() { return 4; }; if f; then echo t; else echo "f $?"; fi', 'f 4\n', '', 0],
    ['echo > /nonexistent/x; echo $?', '1\n', 'bash: line 1: /nonexistent/x: No such file or directory\n', 0],
    ['x=$(false); echo $?; v=${u:=dflt}; echo $v $u', '1\ndflt dflt\n', '', 0],
    ['return; echo $?', '1\n', "bash: line 1: return: can only `return' from a function or sourced script\n", 0],
    ['printf "%s\\n" "exit 7" > /tmp/s.sh; echo "echo sourced \\$1" >> /tmp/s.sh; . /tmp/s.sh arg; echo no', '', '', 7],
    ['echo "sourced $1"; return 5; echo no', 'sourced \nno\n', "bash: line 1: return: can only `return' from a function or sourced script\n", 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await runScript(script)).toEqual({ stdout, stderr, status });
  });

  it.each([
    // Aliases: the lab's shells expand them (an interactive bash does; `k` is preset), from the next line on.
    ['alias hi="echo hello"\nhi there', 'hello there\n', ''],
    ['alias k; alias x=y; unalias x; alias x', "alias k='kubectl'\n", 'bash: line 1: alias: x: not found\n'],
    ['type k', "k is aliased to `kubectl'\n", ''],
  ])('%j (interactive bash)', async (script, stdout, stderr) => {
    expect(await runScript(script)).toMatchObject({ stdout, stderr });
  });
});
