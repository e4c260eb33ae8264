/**
 * read, against GNU bash 5.2: the script tables' expectations came from bash 5.2.15 reading each script
 * on stdin (with /tmp/rf holding "l1\\n  l2 x  \\nlast"); the terminal cases from bash at a pty.
 */
import { describe, expect, it } from 'vitest';
import { PROMPT, runScript, terminal as openTerminal } from '../testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('read from a file, pipe or here-string', () => {
  it.each([
    ['while read -r line; do echo "[$line]"; done < /tmp/rf; echo "st=$? [$line]"', '[l1]\n[l2 x]\nst=0 [last]\n', '', 0],
    ['read a b rest <<< "  1   2 3   4  "; echo "[$a][$b][$rest]"', '[1][2][3   4]\n', '', 0],
    ['read <<< "  x y  "; echo "[$REPLY]"; read x <<< "  x y  "; echo "[$x]"', '[  x y  ]\n[x y]\n', '', 0],
    ['read -r x <<< "a\\\\tb\\\\\\\\c"; echo "[$x]"; read x <<< "a\\\\tb\\\\\\\\c"; echo "[$x]"', '[a\\tb\\\\c]\n[atb\\c]\n', '', 0],
    ['printf "a\\\\\\\\\\nb\\n" | { read x; echo "[$x]"; }; printf "a\\\\\\\\\\nb\\n" | { read -r x; echo "[$x]"; }', '[ab]\n[a\\]\n', '', 0],
    ['IFS=, read a b <<< "1,2,3,"; echo "[$a][$b]"; IFS=, read a b c <<< "1,,3"; echo "[$a][$b][$c]"; IFS=", " read a b c <<< "1 , 2,3"; echo "[$a][$b][$c]"', '[1][2,3,]\n[1][][3]\n[1][2][3]\n', '', 0],
    ['IFS=, read a b <<< "1,2,"; echo "[$a][$b]"; IFS=, read a b <<< "1,2,,"; echo "[$a][$b]"; IFS=, read a <<< ",1,2,"; echo "[$a]"', '[1][2]\n[1][2,,]\n[,1,2,]\n', '', 0],
    ['read -a arr <<< "x y  z"; declare -p arr; IFS=, read -a a <<< "1,,3,"; declare -p a', 'declare -a arr=([0]="x" [1]="y" [2]="z")\ndeclare -a a=([0]="1" [1]="" [2]="3")\n', '', 0],
    ['read -d : a <<< "one:two"; echo "[$a] $?"; read -n 3 a <<< "abcdef"; echo "[$a]"; read -n 3 a <<< "ab"; echo "[$a] $?"', '[one] 0\n[abc]\n[ab] 0\n', '', 0],
    ['echo -n "abc" | { read x; echo "$? [$x]"; }; echo "" | { read x; echo "$? [$x]"; }; read x < /dev/null; echo "$? [${x-unset}]"', '1 [abc]\n0 []\n1 []\n', '', 0],
    ['{ read x; read y; } < /tmp/rf; echo "[$x][$y]"', '[l1][l2 x]\n', '', 0],
    ['echo "a b" | while read x y; do echo "$y $x"; done', 'b a\n', '', 0],
    ['read 1x <<< a; echo $?', '1\n', 'bash: line 1: read: `1x\': not a valid identifier\n', 0],
    ['read -z x; echo $?', '2\n', 'bash: line 1: read: -z: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n', 0],
    ['read -p "P> " x <<< v; echo "[$x]"', '[v]\n', '', 0],
    ['read -N 3 a <<< "a\nbcdef"; echo "[$a]"', '[a\nb]\n', '', 0],
    ['IFS= read -r x <<< "  a b  "; echo "[$x]"; read a b <<< "1"; echo "[$a][${b-unset}]"', '[  a b  ]\n[1][]\n', '', 0],
    ['read -d "" x <<< "a\nb"; echo "[$x] $?"', '[a\nb] 1\n', '', 0],
    ['x=(1 2); read x <<< z; declare -p x', 'declare -a x=([0]="z" [1]="2")\n', '', 0],
    ['read -n x a; echo $?; read -u 5 x; echo $?; read -d; echo $?', '1\n1\n2\n', 'bash: line 1: read: x: invalid number\nbash: line 1: read: 5: invalid file descriptor: Bad file descriptor\nbash: line 1: read: -d: option requires an argument\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n', 0],
    ['read -t x v; echo $?; read -t 0 v <<< x; echo $?', '1\n0\n', 'bash: line 1: read: x: invalid timeout specification\n', 0],
    ['read -rn2 a <<< "xyz"; echo $a; read -d: -r a <<< "q:w"; echo $a', 'xy\nq\n', '', 0],
    ['echo "a\\\\:b:" | { read -d : x; echo "[$x]"; }', '[a:b]\n', '', 0],
    ['readonly r; read r <<< x; echo $?', '1\n', 'bash: line 1: r: readonly variable\n', 0],
    ['read -N 3 a b <<< "x y z"; echo "[$a][$b]"; read -n 0 a <<< "xyz"; echo "[$a] $?"; read -n 2 a b <<< "x yz"; echo "[$a][$b]"', '[x y][]\n[] 0\n[x][]\n', '', 0],
    ['read a b c <<< "a\\\\ b c d"; echo "[$a][$b][$c]"; read -r a b <<< "a\\\\ b c"; echo "[$a][$b]"', '[a b][c][d]\n[a\\][b c]\n', '', 0],
    ['read -ra arr <<< "1 2"; declare -p arr; read -- a <<< q; echo $a; read -e a <<< q; echo $a', 'declare -a arr=([0]="1" [1]="2")\nq\nq\n', '', 0],
    ['printf \'1 2\\n3 4\\n\' > /tmp/n; while read a b; do echo $((a+b)); done < /tmp/n', '3\n7\n', '', 0],
    ['printf \'x\\ny\\nz\\n\' > /tmp/n; while read l; do cat; done < /tmp/n', 'y\nz\n', '', 0],
    ['printf \'x\\ny\\nz\\n\' > /tmp/n; while read l; do echo "<$l>"; read m; echo "{$m}"; done < /tmp/n', '<x>\n{y}\n<z>\n{}\n', '', 0],
    ['printf \'x\\ny\\n\' | while read l; do echo "<$l>"; done; echo "$? [$l]"', '<x>\n<y>\n0 []\n', '', 0],
    ['cat /tmp/rf | { read a; echo "[$a]"; cat; }', '[l1]\n  l2 x  \nlast', '', 0],
    ['read x <<< "$(echo hi)"; echo $x; read a b <<< "1 2"; echo $b$a', 'hi\n21\n', '', 0],
    ['printf \'k=v\\nq=w\\n\' > /tmp/n; while IFS== read -r k v; do echo "$k -> $v"; done < /tmp/n', 'k -> v\nq -> w\n', '', 0],
    ['x=$(printf \'a\\nb\\n\' | { read q; cat; }); echo "$x"', 'b\n', '', 0],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await runScript(script, { yieldToHost, files: { '/tmp/rf': 'l1\n  l2 x  \nlast' } })).toEqual({ stdout, stderr, status });
  });
});

const terminal = () => openTerminal(yieldToHost);

describe('read from the terminal', () => {
  it.each([
    // The tty echoes what is typed; Backspace erases, control keys echo as ^X and are read as typed.
    ['read -p "Name: " n', 'Name: ', ['bob\r'], 'bob\r\n', '[bob]'],
    ['read r', '', ['a\x7fbc\x1b[A\r'], 'a\b \bbc^[[A\r\n', '[bc\x1b[A]'],
    // -s: no echo at all, not even the newline; -n: cbreak, done after N keys.
    ['read -s -p "Pw: " p', 'Pw: ', ['xy\r'], '', '[xy]'],
    ['read -n 2 q', '', ['a', 'b'], 'ab', '[ab]'],
    // Ctrl-U erases what the line holds so far.
    ['read w', '', ['oops\x15ok\r'], 'oops\b \b\b \b\b \b\b \bok\r\n', '[ok]'],
  ])('%s', async (command, prompt, keys, echoed, value) => {
    const t = terminal();
    t.take();
    await t.type(`${command}\r`);
    expect(t.take()).toBe(`${command}\r\n${prompt}`);
    for (const k of keys) await t.type(k);
    expect(t.take()).toBe(`${echoed}${PROMPT}`);
    await t.type(`echo "[$${command.split(' ').pop()}]"\r`);
    expect(t.take()).toContain(`\r\n${value}\r\n`);
  });

  it('reads keys typed ahead while an earlier command ran', async () => {
    const t = terminal();
    await t.type('sleep 1; read x; echo "got $x"\r');
    await t.type('early\r');
    t.take();
    await t.advance(1000);
    expect(t.take()).toBe(`early\r\ngot early\r\n${PROMPT}`);
  });

  it('ends at Ctrl-D on an empty line with status 1', async () => {
    const t = terminal();
    await t.type('read z\r');
    await t.type('\x04');
    t.take();
    await t.type('echo "st=$? [${z-unset}]"\r');
    expect(t.take()).toContain('\r\nst=1 []\r\n');
  });

  it('stops on Ctrl-C with status 130, and the rest of the line is not run', async () => {
    const t = terminal();
    t.take();
    await t.type('read z; echo not-here\r');
    await t.type('ab\x03');
    expect(t.take()).toBe(`read z; echo not-here\r\nab^C\r\n${PROMPT}`);
    expect(t.session.lastStatus).toBe(130);
  });

  it('gives up after -t seconds of virtual time with status 142, keeping what was typed', async () => {
    const t = terminal();
    await t.type('read -t 2 z; echo "st=$? [$z]"\r');
    await t.type('pa');
    t.take();
    await t.advance(1999);
    expect(t.take()).toBe('');
    await t.advance(1);
    expect(t.take()).toBe(`st=142 [pa]\r\n${PROMPT}`);
  });
});
