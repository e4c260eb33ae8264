/**
 * The shell's language, run headlessly and compared with GNU bash 5.2 (outputs taken from `bash` reading
 * the same script on stdin). `cat` and `printenv` here are small test doubles over ctx.stdin / ctx.env;
 * the tables further down run with the lab's own commands, on a virtual clock stepped while a script waits.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { EXIT, type Command } from './command.ts';
import { builtinCommands } from './commands/index.ts';
import { FsError, MemoryFileSystem } from './fs.ts';
import { Session } from './session.ts';
import { bootShellHost, runIn } from './host/testing.ts';
import { runScript as runWithClock } from './testing.ts';

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
    // Pattern removal, substitution and case modification (outputs from bash 5.2).
    ['x=a.b.c; echo ${x%.*} ${x%%.*} ${x#*.} ${x##*.} ${x/b/B} ${x//./-} ${x^^} ${x,,} ${x^}', 'a.b a b.c c a.B.c a-b-c A.B.C a.b.c A.b.c\n', '', 0],
    ['p=/usr/local/bin/tool.tar.gz; echo "${p##*/}" "${p%/*}" "${p%%.*}" "${p/#\\/usr/U}" "${p/%gz/xz}" "${p//[aeiou]/_}"', 'tool.tar.gz /usr/local/bin /usr/local/bin/tool U/local/bin/tool.tar.gz /usr/local/bin/tool.tar.xz /_sr/l_c_l/b_n/t__l.t_r.gz\n', '', 0],
    ['a=(one two three); echo "${a[@]#t}" "${a[@]^}"; set -- foo.c bar.c; echo "${@%.c}"', 'one wo hree One Two Three\nfoo bar\n', '', 0],
    ['y="hello world"; echo "${y// /}" "${y/o}" "${y^^[lo]}"; r="1.2 "; echo "[${r% }]" "${y#"hel"*}" "${y#\'*\'}"', 'helloworld hell world heLLO wOrLd\n[1.2] lo world hello world\n', '', 0],
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

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));
const run = (script: string, files?: Record<string, string>) => runWithClock(script, { yieldToHost, files });

// Expectations below came from GNU bash 5.2.15 reading each script on stdin.
describe('[[ … ]], as bash runs it', () => {
  it.each([
    ['[[ abc == a* ]]; echo $?; [[ abc == "a*" ]]; echo $?; x="a*"; [[ abc == $x ]]; echo $?; [[ abc == "$x" ]]; echo $?', '0\n1\n0\n1\n', '', 0],
    ['[[ ab =~ (a|b)+ ]]; echo $? "${BASH_REMATCH[@]}"; [[ abc =~ x ]]; declare -p BASH_REMATCH; [[ abc =~ a(x)?b ]]; declare -p BASH_REMATCH', '0 ab b\ndeclare -a BASH_REMATCH=()\ndeclare -a BASH_REMATCH=([0]="ab" [1]="")\n', '', 0],
    ['[[ "a.c" =~ "a.c" ]]; echo $?; [[ "abc" =~ "a.c" ]]; echo $?; re="a.c"; [[ "abc" =~ $re ]]; echo $?; [[ "abc" =~ "$re" ]]; echo $?', '0\n1\n0\n1\n', '', 0],
    ['[[ abc =~ [ ]]; echo $?; [[ "a b" =~ (a b) ]]; echo $? ${BASH_REMATCH[1]}; [[ x =~ a\\ b|x ]]; echo $?; [[ "a  b" =~ a[[:space:]]+b ]]; echo $?', '2\n0 a b\n0\n0\n', '', 0],
    ['[[ a < b ]]; echo $?; [[ b < a ]]; echo $?; [[ B > a ]]; echo $?', '0\n1\n1\n', '', 0],
    ['[[ 2+2 -eq 4 ]]; echo $?; x=3; [[ x -eq 3 ]]; echo $?; [[ 1 -eq 1+ ]]; echo next $?; [[ 08 -eq 8 ]]; echo $?', '0\n0\nnext 1\n1\n', 'bash: line 1: [[: 1+: syntax error: operand expected (error token is "+")\nbash: line 1: [[: 08: value too great for base (error token is "08")\n', 0],
    ['[[ -n a && ( b == c || ! -z "" ) ]]; echo $?; [[ ! -d /tmp ]]; echo $?; [[ -d /tmp && -e /tmp ]]; echo $?; [[ (a) ]]; echo $?', '1\n1\n0\n0\n', '', 0],
    ['[[ a b ]]\necho after', '', 'bash: line 1: conditional binary operator expected\n', 0],
    ['false\n[[ a == ]]', '', 'bash: line 2: unexpected argument `]]\' to conditional binary operator\n', 1],
    ['[[ ( a ]]', '', 'bash: line 1: unexpected token `]]\', expected `)\'\n', 0],
    ['[[ a ; ]]', '', 'bash: line 1: unexpected token `;\', conditional binary operator expected\n', 0],
    ['[[ a ) ]]', '', 'bash: line 1: syntax error in conditional expression: unexpected token `)\'\n', 0],
    ['[[ 1 -lt 2 -a 3 ]]', '', 'bash: line 1: syntax error in conditional expression\n', 0],
    ['[[ ]]', '', '', 0],
    ['[[ a', '', 'bash: line 1: unexpected token `newline\', conditional binary operator expected\n', 2],
    ['[[ a\necho x', '', 'bash: line 1: unexpected token `newline\', conditional binary operator expected\n', 0],
    ['[[ a &&', '', 'bash: line 2: unexpected token `EOF\' in conditional command\n', 2],
    ['[[ a &&\nb ]] && echo ok', 'ok\n', '', 0],
    ['[[\na ]] && echo ok', 'ok\n', '', 0],
    ['[[ a == b', '', 'bash: line 1: unexpected EOF while looking for `]]\'\n', 2],
    ['[[ -f', '', 'bash: line 1: unexpected argument `newline\' to conditional unary operator\n', 2],
    ['[[ ( a', '', 'bash: line 1: unexpected token `newline\', conditional binary operator expected\nbash: line 1: expected `)\'\n', 2],
    ['echo [[ a ]]', '[[ a ]]\n', '', 0],
    ['[[ a ]] ]]', '', 'bash: line 1: syntax error near unexpected token `]]\'\nbash: line 1: `[[ a ]] ]]\'\n', 2],
    ['x="a b"; [[ $x == "a b" ]] && echo same; [[ -v x ]]; echo $?; [[ -v nope ]]; echo $?; set -o errexit; [[ -o errexit ]]; echo $?', 'same\n0\n1\n0\n', '', 0],
    ['[[ abc == *b* && abc != *d* ]] && echo yes; [[ "*" == \\* ]]; echo $?; [[ a/b == a*b ]]; echo $?', 'yes\n0\n0\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });
});

describe('(( … )), for ((…)), let and $((…)), as bash runs them', () => {
  it.each([
    ['(( 1 + )); echo after $?', 'after 1\n', 'bash: line 1: ((: 1 + : syntax error: operand expected (error token is "+ ")\n', 0],
    ['((  1 +  )); echo after $?', 'after 1\n', 'bash: line 1: ((: 1 +  : syntax error: operand expected (error token is "+  ")\n', 0],
    ['(( x = 3 , y = x * 2 )); echo $x $y $?; (( 0 )); echo $?; ((a[2]=5)); echo ${a[2]} ${#a[@]}', '3 6 0\n1\n5 1\n', '', 0],
    ['a=(1 2 3); echo $(( a[1] + a[2] )) $((a))', '5 1\n', '', 0],
    ['for ((i=0;i<3;i++)); do echo $i; done; for ((i=0;i<3;i++)) { echo $i; }; for (( ; ; )); do break; done; echo $?', '0\n1\n2\n0\n1\n2\n0\n', '', 0],
    ['for ((i=0 i<2)); do :; done', '', 'bash: line 1: syntax error: arithmetic expression required\nbash: line 1: syntax error: `((i=0 i<2))\'\n', 2],
    ['echo $(( 1 ? 2 : 3 )) $(( 10 % 3 )) $(( -7 / 2 )) $(( 1,2 )) $((0x1f)) $((8#17)) $((2#101)) $((2**63)) $((1<<65)) $((64#_))', '2 1 -3 2 31 15 5 -9223372036854775808 2 63\n', '', 0],
    ['n=3; echo $((n++)) $n $((--n)); x=abc; echo $((x))', '3 4 3\n0\n', '', 0],
    ['(( 5/0 )); echo $?', '1\n', 'bash: line 1: ((: 5/0 : division by 0 (error token is "0 ")\n', 0],
    ['echo $(( 5/0 )); echo next', '', 'bash: line 1: 5/0 : division by 0 (error token is "0 ")\n', 1],
    ['echo $((1 @ 2))', '', 'bash: line 1: 1 @ 2: syntax error: invalid arithmetic operator (error token is "@ 2")\n', 1],
    ['echo $((1a))', '', 'bash: line 1: 1a: value too great for base (error token is "1a")\n', 1],
    ['echo $((3=4))', '', 'bash: line 1: 3=4: attempted assignment to non-variable (error token is "=4")\n', 1],
    ['echo $((1?2))', '', 'bash: line 1: 1?2: `:\' expected for conditional expression (error token is "2")\n', 1],
    ['echo $((2**-1))', '', 'bash: line 1: 2**-1: exponent less than 0 (error token is "1")\n', 1],
    ['echo $((x++ +))', '', 'bash: line 1: x++ +: syntax error: operand expected (error token is "+")\n', 1],
    ['echo $((64#z)) $((65#1))', '', 'bash: line 1: 65#1: invalid arithmetic base (error token is "65#1")\n', 1],
    ['echo $((1 ? 2 : ))', '', 'bash: line 1: 1 ? 2 : : expression expected (error token is ": ")\n', 1],
    ['let x=1+2 y=x*2; echo $x $y $?; let 0; echo $?; let; echo $?; let "1 +"; echo $?', '3 6 0\n1\n1\n1\n', 'bash: line 1: let: expression expected\nbash: line 1: let: 1 +: syntax error: operand expected (error token is "+")\n', 0],
    ['declare -i n=5+3; declare -p n; n+=2; echo $n; n=x; echo $n', 'declare -i n="8"\n10\n0\n', '', 0],
    ['for ((i=0; i<2; i++)); do echo $i; done; echo $i; echo $(( (1+2)*3 ))', '0\n1\n2\n9\n', '', 0],
    ['x=7; (( x > 3 && x < 10 )) && echo in; (( x == 7 ? y = 1 : 0 )); echo $y', 'in\n1\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });
});

describe('indexed and associative arrays, as bash runs them', () => {
  it.each([
    ['a=(x y "z w"); echo ${a[0]} ${a[-1]} ${#a[@]} ${#a[2]}; printf "[%s]" "${a[@]}"; echo; printf "[%s]" "${a[*]}"; echo; printf "[%s]" ${a[@]}; echo', 'x z w 3 3\n[x][y][z w]\n[x y z w]\n[x][y][z][w]\n', '', 0],
    ['a=(x y z w); echo "${a[@]:1:2}" "${a[@]: -1}" "${a[@]:2}"', 'y z w z w\n', '', 0],
    ['a=("a b" c); for x in "${a[@]}"; do echo "<$x>"; done; for x in ${a[@]}; do echo "<$x>"; done', '<a b>\n<c>\n<a>\n<b>\n<c>\n', '', 0],
    ['a=(x); echo ${a[5]-unset} ${a[-2]}', 'unset\n', 'bash: line 1: a: bad array subscript\n', 0],
    ['a=(x y); IFS=,; echo "${a[*]}"', 'x,y\n', '', 0],
    ['a=(1 2 3); echo ${a[@]:-e} ${#a} ${a}', '1 2 3 1 1\n', '', 0],
    ['a=(x "$HOME" ~); echo "${a[@]}"', 'x /home/student /home/student\n', '', 0],
    ['a=(x y z); echo "${a[@]:0:1}" "${!a[*]}" "${a[1]:1}"', 'x 0 1 2 \n', '', 0],
    ['echo a=(1)', '', 'bash: line 1: syntax error near unexpected token `(\'\nbash: line 1: `echo a=(1)\'\n', 2],
    ['set -- a b c d; echo ${@:2} "${@:1:2}" ${@: -1} ${#@}', 'b c d a b d 4\n', '', 0],
    ['x=hello; echo ${x:1} ${x:1:3} ${x: -3} ${x: -3:2} ${x:10} "${x:1:-1}"', 'ello ell llo ll ell\n', '', 0],
    ['x=hello; echo ${x:2:-4}', '', 'bash: line 1: -4: substring expression < 0\n', 1],
    ['x=a; y=x; echo ${!y}; a=(1 2); z=\'a[1]\'; echo ${!z}', 'a\n2\n', '', 0],
    ['a=(1 2 3); for i in "${!a[@]}"; do echo "$i=${a[i]}"; done', '0=1\n1=2\n2=3\n', '', 0],
    ['i=1; a=(x y z); echo ${a[i]} ${a[i+1]} ${a[$i]}', 'y z y\n', '', 0],
    ['a=(x y); a[5]=v; a+=(more); declare -p a; echo ${!a[@]}', 'declare -a a=([0]="x" [1]="y" [5]="v" [6]="more")\n0 1 5 6\n', '', 0],
    ['a=(x y z); unset "a[1]"; declare -p a; echo ${#a[@]}', 'declare -a a=([0]="x" [2]="z")\n2\n', '', 0],
    ['x=5; declare -p x; x[1]=6; declare -p x', 'declare -- x="5"\ndeclare -a x=([0]="5" [1]="6")\n', '', 0],
    ['a=(1 2); echo $a; a=3; declare -p a', '1\ndeclare -a a=([0]="3" [1]="2")\n', '', 0],
    ['a=(); echo ${#a[@]}; declare -p a; printf "[%s]" "${a[@]}"; echo', '0\ndeclare -a a=()\n[]\n', '', 0],
    ['a=([2]=b [0]=a); declare -p a', 'declare -a a=([0]="a" [2]="b")\n', '', 0],
    ['a=(x y); a+=z; declare -p a', 'declare -a a=([0]="xz" [1]="y")\n', '', 0],
    ['a=( $(echo 1 2) "*" ); declare -p a', 'declare -a a=([0]="1" [1]="2" [2]="*")\n', '', 0],
    ['a[1]+=x; declare -p a', 'declare -a a=([1]="x")\n', '', 0],
    ['unset a; a=(1 2 3); unset a; declare -p a', '', 'bash: line 1: declare: a: not found\n', 1],
    ['a=(1 2 3); unset "a[@]"; declare -p a', 'declare -a a=()\n', '', 0],
    ['a=(x); a[-1]=q; declare -p a; a[-3]=z', 'declare -a a=([0]="q")\n', 'bash: line 1: a[-3]: bad array subscript\n', 1],
    ['x=1; declare -a x; declare -p x', 'declare -a x=([0]="1")\n', '', 0],
    ['a=(1 2); declare -p a; a=(); declare -p a; unset a; a[0]=; declare -p a', 'declare -a a=([0]="1" [1]="2")\ndeclare -a a=()\ndeclare -a a=([0]="")\n', '', 0],
    ['a=($\'a\\nb\' "q\\"\\$"); declare -p a', 'declare -a a=([0]=$\'a\\nb\' [1]="q\\"\\$")\n', '', 0],
    ['x=1; y=2; declare -p x y nope; echo $?', 'declare -- x="1"\ndeclare -- y="2"\n1\n', 'bash: line 1: declare: nope: not found\n', 0],
    ['a=(a b); a[1]+=c; a+=([5]=z); declare -p a; echo "${#a[1]}"', 'declare -a a=([0]="a" [1]="bc" [5]="z")\n2\n', '', 0],
    ['f() { echo $#; }; a=("x y" z); f "${a[@]}"; f "${a[*]}"; f ${a[@]}; f "x${a[@]}y"; e=(); f "${e[@]}"', '2\n1\n3\n2\n0\n', '', 0],
    ['a=(3 1 2); for ((i=${#a[@]}-1; i>=0; i--)); do printf \'%s \' "${a[i]}"; done; echo', '2 1 3 \n', '', 0],
    ['line="web-7 Running"; read -r -a parts <<< "$line"; echo "${parts[1]} ${#parts[@]}"', 'Running 2\n', '', 0],
    ['[[ "web-42" =~ ^([a-z]+)-([0-9]+)$ ]] && echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"', 'web 42\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script)).toEqual({ stdout, stderr, status });
  });
});

describe('scripts that mix them, as bash runs them', () => {
  it.each([
    ['while read x; do echo "[$x]"; done <<EOF\n1\n  2 3\nEOF', '[1]\n[2 3]\n', '', 0],
    ['f() { local x; read x; echo "in:$x"; }; f <<< hi; echo "out:[${x-unset}]"', 'in:hi\nout:[unset]\n', '', 0],
    ['declare -A m=([a]=1); m+=([b]=2 [a]=3); for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done', 'b=2\na=3\n', '', 0],
    ['a=(1 2 3); echo ${a[*]:1} "${a[*]:1}"; IFS=-; echo "${a[*]:1}" "${a[@]:1}"', '2 3 2 3\n2-3 2 3\n', '', 0],
    ['a=(x y); a[${#a[@]}]=z; echo "${a[@]}"; unset \'a[0]\'; echo "${!a[@]}" "${#a[@]}"', 'x y z\n1 2 2\n', '', 0],
    ['x=(a b); y=("${x[@]}" c); echo ${#y[@]} "${y[2]}"; z=${x[@]}; echo "$z"', '3 c\na b\n', '', 0],
    ['i=0; while (( i < 3 )); do (( i++ )); done; echo $i; (( i += 2 )); echo $i', '3\n5\n', '', 0],
    ['s="abc"; [[ $s == a?c ]] && echo q; [[ $s == [ab]* ]] && echo br; [[ $s != *z* ]] && echo nz', 'q\nbr\nnz\n', '', 0],
    ['[[ -z "" && -n x ]] && echo ok; [[ 10 -gt 9 ]] && echo num; [[ 10 > 9 ]] || echo lex', 'ok\nnum\nlex\n', '', 0],
    ['n=5; [[ $n -ge 1 && $n -le 10 ]] && echo range; [[ ! $n -eq 4 ]] && echo ne', 'range\nne\n', '', 0],
    ['arr=(); arr+=("a b"); arr+=(c); printf \'<%s>\' "${arr[@]}"; echo', '<a b><c>\n', '', 0],
    ['read -r first rest <<< "  one two  three "; echo "[$first][$rest]"', '[one][two  three]\n', '', 0],
    ['echo "a:b:c" | { IFS=: read -r -a parts; echo "${#parts[@]} ${parts[2]}"; }', '3 c\n', '', 0],
    ['printf \'a b\\nc d\\n\' | while read -r x y; do echo "$y$x"; done', 'ba\ndc\n', '', 0],
    ['cnt=0; while read -r l; do ((cnt++)); done < /tmp/rf; echo $cnt', '2\n', '', 0],
    ['x=5; echo $(( x > 3 )) $(( x == 5 ? 100 : 0 )); (( x-- )); echo $x; echo $(( x-- )) $x', '1 100\n4\n4 3\n', '', 0],
    ['declare -a nums=(5 3 8); max=${nums[0]}; for n in "${nums[@]}"; do (( n > max )) && max=$n; done; echo $max', '8\n', '', 0],
    ['f() { local -A m=([k]=v); echo "${m[k]}"; }; f; declare -p m', 'v\n', 'bash: line 1: declare: m: not found\n', 1],
    ['a=(1 2); b=a; echo "${!b}"; c=\'a[1]\'; echo "${!c}"', '1\n2\n', '', 0],
    ['declare -i n=10; n=n/3; echo $n; n+=n; echo $n', '3\n6\n', '', 0],
    // Every stage of a pipeline is a subshell, the last one too (bash without lastpipe).
    ['echo a | read x; echo "[$x]"; c=0; printf "1\\n2\\n" | while read l; do c=$((c+1)); done; echo $c; echo x | cd /; [ "$PWD" != / ] && echo stayed', '[]\n0\nstayed\n', '', 0],
    ['echo | exit 3; echo $?; true | false; echo $?; f() { echo in; }; echo | f', '3\n1\nin\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script, { '/tmp/rf': 'l1\n  l2 x  \nlast' })).toEqual({ stdout, stderr, status });
  });
});

describe('stdin shared by the commands of a compound command', () => {
  it.each([
    // `read` takes a line; `cat` (any command that reads stdin) takes the rest, as a real one would.
    ['while read l; do echo "<$l>"; cat; done < /tmp/in', '<x>\ny\nz\n', '', 0],
    ['{ read a; read b; } < /tmp/in; echo "$b$a"', 'yx\n', '', 0],
    ['while read l; do echo "<$l>"; done < /tmp/in; echo "st=$?"', '<x>\n<y>\n<z>\nst=0\n', '', 0],
    ['cat /tmp/in | { read a; echo "[$a]"; cat; }', '[x]\ny\nz\n', '', 0],
    // Expansions come before redirections: an assignment's $(…) does not read the file.
    ['x=$(read q; cat) < /tmp/in; echo "[$x]"', '[]\n', '', 0],
    ['echo hi > /dev/null; cat < /dev/null; echo "[$(cat <<< in < /dev/stdin)]"; echo err >/dev/stderr', '[in]\n', 'err\n', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await run(script, { '/tmp/in': 'x\ny\nz\n' })).toEqual({ stdout, stderr, status });
  });
});

describe('redirections to the files of a Linux host', () => {
  // A cgroup with the cpu and memory controllers, as /sys/fs/cgroup/t; the host has /dev/full.
  const setup = 'cd /sys/fs/cgroup; echo "+cpu +memory" > cgroup.subtree_control; mkdir t; cd t; ';
  it.each([
    // O_TRUNC leaves a cgroup file alone: only the value written counts.
    ['echo 50000 > cpu.max; cat cpu.max; echo 1 >> memory.oom.group; cat memory.oom.group', '50000 100000\n1\n', '', 0],
    // Each write(2) may fail: the command says so (a builtin in bash's words) and fails; the file keeps its value.
    ['echo foo > cpu.max; echo $?; cat cpu.max', '1\nmax 100000\n', 'bash: line 1: echo: write error: Invalid argument\n', 0],
    ['/usr/bin/echo foo >> cpu.max', '', '/usr/bin/echo: write error: Invalid argument\n', 1],
    ['printf foo 2>&1 > cpu.max', 'bash: line 1: printf: write error: Invalid argument\n', '', 1],
    ['{ echo a; echo b; } > /dev/full', '', 'bash: line 1: echo: write error: No space left on device\n'.repeat(2), 1],
    ['cat cpu.max > /dev/full', '', 'cat: write error: No space left on device\n', 1],
    // The message would go to the file that refused the write: it is lost, the status stays.
    ['echo foo &> cpu.max; echo $?; echo foo > cpu.max 2>&1; echo $?; ls /nope 2> /dev/full; echo $?', '1\n1\n2\n', '', 0],
    ['echo x > /sys/fs/cgroup; echo y > new', '', 'bash: line 1: /sys/fs/cgroup: Is a directory\nbash: line 1: new: Permission denied\n', 1],
  ])('%j', async (script, stdout, stderr, status) => {
    const { clock, shell } = bootShellHost();
    expect(await runIn(shell.openSession({ id: '1', tty: false }), clock, setup + script, yieldToHost)).toEqual({ stdout, stderr, status });
  });
});
