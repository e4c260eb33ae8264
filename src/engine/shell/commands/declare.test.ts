/**
 * declare, typeset, local and readonly, against GNU bash 5.2: the expectations came from bash 5.2.15
 * reading each script on stdin.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('declare and local, as bash runs them', () => {
  it.each([
    ['declare -a b; declare -p b; b=1; declare -p b', 'declare -a b\ndeclare -a b=([0]="1")\n', '', 0],
    ['declare -A m=([k]=v [j]=w); declare -p m; echo ${m[k]} ${!m[@]}', 'declare -A m=([k]="v" [j]="w" )\nv k j\n', '', 0],
    ['declare -A m; m[one]=1; m[two]=2; m[three]=3; echo ${!m[@]}; echo ${m[@]}', 'two three one\n2 3 1\n', '', 0],
    ['declare -p nosuch; echo $?', '1\n', 'bash: line 1: declare: nosuch: not found\n', 0],
    ['f() { local -a arr=(1 2); declare -p arr; }; f; declare -p arr', 'declare -a arr=([0]="1" [1]="2")\n', 'bash: line 1: declare: arr: not found\n', 1],
    ['declare x=\'(1 2)\'; declare -p x', 'declare -- x="(1 2)"\n', '', 0],
    ['declare -a x=\'(1 "2 3" $HOME)\'; declare -p x', 'declare -a x=([0]="1" [1]="2 3" [2]="/home/student")\n', '', 0],
    ['declare "x=(1 2)"; declare -p x', 'declare -- x="(1 2)"\n', '', 0],
    ['y=\'(3 4)\'; declare -a x=$y; declare -p x', 'declare -a x=([0]="3" [1]="4")\n', '', 0],
    ['declare -a x=(1 2); declare x=\'(5 6)\'; declare -p x', 'declare -a x=([0]="5" [1]="6")\n', '', 0],
    ['local a=(1)', '', 'bash: line 1: local: can only be used in a function\n', 1],
    ['f() { local a=(1 \'b c\'); declare -p a; }; f', 'declare -a a=([0]="1" [1]="b c")\n', '', 0],
    ['declare -r r=1; r=2; echo $?', '', 'bash: line 1: r: readonly variable\n', 1],
    ['declare -r x=1; declare x=2; echo $?', '1\n', 'bash: line 1: declare: x: readonly variable\n', 0],
    ['declare -l l=ABC; declare -u u=abc; declare -p l u', 'declare -l l="abc"\ndeclare -u u="ABC"\n', '', 0],
    ['declare -x e=1; declare -p e', 'declare -x e="1"\n', '', 0],
    ['declare -A m; declare -p m; declare -A m2=(); declare -p m2', 'declare -A m\ndeclare -A m2=()\n', '', 0],
    ['declare -a x=(1); declare -A x; echo $?', '1\n', 'bash: line 1: declare: x: cannot convert indexed to associative array\n', 0],
    ['declare -a \'x[2]=5\'; declare -p x', 'declare -a x=([2]="5")\n', '', 0],
    ['declare -A m=(["a b"]=1 [c]=) ; declare -p m', 'declare -A m=([c]="" ["a b"]="1" )\n', '', 0],
    ['declare x y=2; declare -p x y', 'declare -- x\ndeclare -- y="2"\n', '', 0],
    ['declare -A m=(a 1 b 2); declare -p m', 'declare -A m=([b]="2" [a]="1" )\n', '', 0],
    ['declare -a x=([1]=a b [5]=c d); declare -p x', 'declare -a x=([1]="a" [2]="b" [5]="c" [6]="d")\n', '', 0],
    ['declare -A m=([\\$x]=1 [a-b]=2 ["*"]=3 [" "]=4); declare -p m', 'declare -A m=(["*"]="3" [" "]="4" [a-b]="2" ["\\$x"]="1" )\n', '', 0],
    ['f() { local x; echo "[${x-unset}]"; }; x=1; f', '[unset]\n', '', 0],
    ['f() { declare q=1; }; f; echo "[${q-unset}]"; g() { declare -g q=1; }; g; echo "[${q-unset}]"', '[unset]\n[1]\n', '', 0],
    ['declare x-y=1; echo $?', '1\n', 'bash: line 1: declare: `x-y=1\': not a valid identifier\n', 0],
    ['declare -a a=(1); declare +a a; echo $?', '1\n', 'bash: line 1: declare: a: cannot destroy array variables in this way\n', 0],
    ['declare -A m; declare m[k]=v; declare -p m', 'declare -A m=([k]="v" )\n', '', 0],
    ['local x', '', 'bash: line 1: local: can only be used in a function\n', 1],
    ['typeset -z', '', 'bash: line 1: typeset: -z: invalid option\ntypeset: usage: typeset [-aAfFgiIlnrtux] name[=value] ... or typeset -p [-aAfFilnrtux] [name ...]\n', 2],
    ['declare -i i; i="2*3"; echo $i; i+=1; echo $i', '6\n7\n', '', 0],
    ['readonly a=(1 2); declare -p a', 'declare -ar a=([0]="1" [1]="2")\n', '', 0],
    ['declare -A m=([x]=1); echo ${#m[@]} ${m[x]} ${m[nope]-none}; unset \'m[x]\'; declare -p m', '1 1 none\ndeclare -A m=()\n', '', 0],
    ['readonly r=1; unset r; echo $?; declare -a a=(1); readonly a; unset "a[0]"; echo $?; a[1]=2; echo $?', '1\n1\n', 'bash: line 1: unset: r: cannot unset: readonly variable\nbash: line 1: unset: a: cannot unset: readonly variable\nbash: line 1: a: readonly variable\n', 1],
  ])('%j', async (script, stdout, stderr, status) => {
    expect(await runScript(script, { yieldToHost })).toEqual({ stdout, stderr, status });
  });
});
