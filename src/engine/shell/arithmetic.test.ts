/**
 * bash's arithmetic, against GNU bash 5.2: each row came from `x=3; echo $(( EXPR )) $x` run by bash
 * 5.2.15 (the expression is evaluated with the spaces `$(( … ))` gives it).
 */
import { describe, expect, it } from 'vitest';
import { ArithmeticError, evaluateArithmetic, type ArithmeticVariables } from './arithmetic.ts';

function variables(): ArithmeticVariables & { values: Map<string, string> } {
  const values = new Map([['x', '3']]);
  const key = (name: string, subscript?: string) => (subscript === undefined ? name : `${name}[${evaluateArithmetic(subscript, vars)}]`);
  const vars = {
    values,
    get: (name: string, subscript?: string) => values.get(key(name, subscript)),
    set: (name: string, value: string, subscript?: string) => void values.set(key(name, subscript), value),
  };
  return vars;
}

describe('evaluateArithmetic', () => {
  it.each([
    ['', '0', '3'],
    ['++1', '1', '3'],
    ['64#z', '35', '3'],
    ['0x', '0', '3'],
    ['2**63', '-9223372036854775808', '3'],
    ['9223372036854775807+1', '-9223372036854775808', '3'],
    ['-9223372036854775808/-1', '-9223372036854775808', '3'],
    ['1<<65', '2', '3'],
    ['a=b=3', '3', '3'],
    ['0 && 1/0', '0', '3'],
    ['1 || (x=5)', '1', '3'],
    ['5 > 3 ? 10 : 20', '10', '3'],
    ['~0', '-1', '3'],
    ['!5', '0', '3'],
    ['-(-3)', '3', '3'],
    ['1 << 2 >> 1', '2', '3'],
    ['2 ** 3 ** 2', '512', '3'],
    ['-2 ** 2', '4', '3'],
    ['7 / -2', '-3', '3'],
    ['-7 % 3', '-1', '3'],
    ['16#ff', '255', '3'],
    ['36#z', '35', '3'],
    ['62#Z', '61', '3'],
    ['64#@', '62', '3'],
    ['010', '8', '3'],
    ['y=x+2', '5', '3'],
    ['x+=4, x', '7', '7'],
    ['x<<=2', '12', '12'],
    ['b[1]=7, b[1]*2', '14', '3'],
    ['b[x-2]', '0', '3'],
    ['z', '0', '3'],
    ['x', '3', '3'],
    ['(1+2)*3', '9', '3'],
    ['1 ? 2 : 3 ? 4 : 5', '2', '3'],
    ['x == 3 && x != 4', '1', '3'],
  ])('$(( %s )) is %s, and x is then %s', (expr, value, x) => {
    const vars = variables();
    expect(String(evaluateArithmetic(` ${expr} `, vars))).toBe(value);
    expect(vars.values.get('x')).toBe(x);
  });

  it.each([
    ['1 @ 2', '1 @ 2 : syntax error: invalid arithmetic operator (error token is "@ 2 ")'],
    ['1a', '1a: value too great for base (error token is "1a")'],
    ['08', '08: value too great for base (error token is "08")'],
    ['2**-1', '2**-1 : exponent less than 0 (error token is "1 ")'],
    ['3=4', '3=4 : attempted assignment to non-variable (error token is "=4 ")'],
    ['1?2', '1?2 : `:\' expected for conditional expression (error token is "2 ")'],
    ['1 2', '1 2 : syntax error in expression (error token is "2 ")'],
    ['x++ +', 'x++ + : syntax error: operand expected (error token is "+ ")'],
    ['1++', '1++ : syntax error: operand expected (error token is "+ ")'],
    ['65#1', '65#1: invalid arithmetic base (error token is "65#1")'],
    ['0xg', '0xg: value too great for base (error token is "0xg")'],
    ['2#102', '2#102: value too great for base (error token is "2#102")'],
    ['1/0', '1/0 : division by 0 (error token is "0 ")'],
    ['7%0', '7%0 : division by 0 (error token is "0 ")'],
    ['-', '- : syntax error: operand expected (error token is "- ")'],
    ['a[1', 'a[1 : bad array subscript (error token is "a[1 ")'],
    ['1,', '1, : syntax error: operand expected (error token is ", ")'],
    [',1', ',1 : syntax error: operand expected (error token is ",1 ")'],
    ['x=', 'x= : syntax error: operand expected (error token is "= ")'],
    ['1 ? 2 : ', '1 ? 2 :  : expression expected (error token is ":  ")'],
    ['@', '@ : syntax error: operand expected (error token is "@ ")'],
    ['1 + @', '1 + @ : syntax error: operand expected (error token is "@ ")'],
    ['x++y', 'x++y : syntax error in expression (error token is "y ")'],
    ['0 ? 1 : x=9', '0 ? 1 : x=9 : attempted assignment to non-variable (error token is "=9 ")'],
  ])('$(( %s )) fails as bash does', (expr, message) => {
    expect(() => evaluateArithmetic(` ${expr} `, variables())).toThrow(new ArithmeticError(message));
  });

  it('evaluates a variable holding an expression, and stops endless recursion', () => {
    const vars = variables();
    vars.values.set('e', 'x * 2');
    vars.values.set('loop', 'loop');
    expect(evaluateArithmetic('e + 1', vars)).toBe(7n);
    expect(() => evaluateArithmetic('loop', vars)).toThrow(/expression recursion level exceeded/);
  });
});
