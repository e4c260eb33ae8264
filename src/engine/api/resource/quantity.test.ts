import { describe, it, expect } from 'vitest';
import {
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  type Format,
  type Quantity,
  QuantityError,
  Scale,
  mustParse,
  newDecimalQuantity,
  newMilliQuantity,
  newQuantity,
  newScaledQuantity,
  parseQuantity,
  quantityFromJSON,
} from './quantity.ts';

const dq = (i: number | bigint, exp: number, f: Format) => newDecimalQuantity(BigInt(i), exp, f);
const MAX = (1n << 63n) - 1n;

// Tables from k8s.io/apimachinery/pkg/api/resource/quantity_test.go (TestQuantityParse).
const parseTable: [string, Quantity][] = [
  ['0', dq(0, 0, 'DecimalSI')], ['0n', dq(0, 0, 'DecimalSI')], ['0u', dq(0, 0, 'DecimalSI')], ['0m', dq(0, 0, 'DecimalSI')],
  ['0Ki', dq(0, 0, 'BinarySI')], ['0k', dq(0, 0, 'DecimalSI')], ['0Mi', dq(0, 0, 'BinarySI')], ['0M', dq(0, 0, 'DecimalSI')],
  ['0Gi', dq(0, 0, 'BinarySI')], ['0G', dq(0, 0, 'DecimalSI')], ['0Ti', dq(0, 0, 'BinarySI')], ['0T', dq(0, 0, 'DecimalSI')],
  ['1', dq(1, 0, 'DecimalSI')],
  ['1Ki', dq(1024, 0, 'BinarySI')], ['8Ki', dq(8 * 1024, 0, 'BinarySI')], ['7Mi', dq(7 * 1024 * 1024, 0, 'BinarySI')],
  ['6Gi', dq(6n * 1024n ** 3n, 0, 'BinarySI')], ['5Ti', dq(5n * 1024n ** 4n, 0, 'BinarySI')], ['4Pi', dq(4n * 1024n ** 5n, 0, 'BinarySI')],
  ['3Ei', dq(3n * 1024n ** 6n, 0, 'BinarySI')], ['10Ti', dq(10n * 1024n ** 4n, 0, 'BinarySI')], ['100Ti', dq(100n * 1024n ** 4n, 0, 'BinarySI')],
  ['5n', dq(5, -9, 'DecimalSI')], ['4u', dq(4, -6, 'DecimalSI')], ['3m', dq(3, -3, 'DecimalSI')], ['9', dq(9, 0, 'DecimalSI')],
  ['8k', dq(8, 3, 'DecimalSI')], ['50k', dq(5, 4, 'DecimalSI')], ['7M', dq(7, 6, 'DecimalSI')], ['6G', dq(6, 9, 'DecimalSI')],
  ['5T', dq(5, 12, 'DecimalSI')], ['40T', dq(4, 13, 'DecimalSI')], ['300T', dq(3, 14, 'DecimalSI')], ['2P', dq(2, 15, 'DecimalSI')],
  ['1E', dq(1, 18, 'DecimalSI')],
  ['1E-3', dq(1, -3, 'DecimalExponent')], ['1e3', dq(1, 3, 'DecimalExponent')], ['1E6', dq(1, 6, 'DecimalExponent')],
  ['1e9', dq(1, 9, 'DecimalExponent')], ['1E12', dq(1, 12, 'DecimalExponent')], ['1e15', dq(1, 15, 'DecimalExponent')],
  ['1E18', dq(1, 18, 'DecimalExponent')], ['1e14', dq(1, 14, 'DecimalExponent')], ['1e13', dq(1, 13, 'DecimalExponent')],
  ['100.035k', dq(100035, 0, 'DecimalSI')],
  ['0.001', dq(1, -3, 'DecimalSI')], ['0.0005k', dq(5, -1, 'DecimalSI')], ['0.005', dq(5, -3, 'DecimalSI')], ['0.05', dq(5, -2, 'DecimalSI')],
  ['0.5', dq(5, -1, 'DecimalSI')], ['0.00050k', dq(5, -1, 'DecimalSI')], ['0.00500', dq(5, -3, 'DecimalSI')], ['0.05000', dq(5, -2, 'DecimalSI')],
  ['0.50000', dq(5, -1, 'DecimalSI')], ['0.5e0', dq(5, -1, 'DecimalExponent')], ['0.5e-1', dq(5, -2, 'DecimalExponent')],
  ['0.5e-2', dq(5, -3, 'DecimalExponent')], ['10.035M', dq(10035, 3, 'DecimalSI')],
  ['1.2e3', dq(12, 2, 'DecimalExponent')], ['1.3E+6', dq(13, 5, 'DecimalExponent')], ['1.40e9', dq(14, 8, 'DecimalExponent')],
  ['1.53E12', dq(153, 10, 'DecimalExponent')], ['1.6e15', dq(16, 14, 'DecimalExponent')], ['1.7E18', dq(17, 17, 'DecimalExponent')],
  ['9.01', dq(901, -2, 'DecimalSI')], ['8.1k', dq(81, 2, 'DecimalSI')], ['7.123456M', dq(7123456, 0, 'DecimalSI')],
  ['6.987654321G', dq(6987654321, 0, 'DecimalSI')], ['5.444T', dq(5444, 9, 'DecimalSI')], ['40.1T', dq(401, 11, 'DecimalSI')],
  ['300.2T', dq(3002, 11, 'DecimalSI')], ['2.5P', dq(25, 14, 'DecimalSI')], ['1.01E', dq(101, 16, 'DecimalSI')],
  ['3.001n', dq(4, -9, 'DecimalSI')], ['1.1E-9', dq(2, -9, 'DecimalExponent')], ['0.0000000001', dq(1, -9, 'DecimalSI')],
  ['0.0000000005', dq(1, -9, 'DecimalSI')], ['0.00000000050', dq(1, -9, 'DecimalSI')], ['0.5e-9', dq(1, -9, 'DecimalExponent')],
  ['0.9n', dq(1, -9, 'DecimalSI')], ['0.00000012345', dq(124, -9, 'DecimalSI')], ['0.00000012354', dq(124, -9, 'DecimalSI')],
  ['9Ei', dq(MAX, 0, 'BinarySI')], ['9223372036854775807Ki', dq(MAX, 0, 'BinarySI')], ['12E', dq(12, 18, 'DecimalSI')],
  ['100.035Ki', dq(10243584, -2, 'BinarySI')], ['0.5Mi', dq(0.5 * 1024 * 1024, 0, 'BinarySI')], ['0.05Gi', dq(536870912, -1, 'BinarySI')],
  ['0.025Ti', dq(274877906944, -1, 'BinarySI')],
  ['0.000000000001Ki', dq(2, -9, 'DecimalSI')], ['.001', dq(1, -3, 'DecimalSI')], ['.0001k', dq(100, -3, 'DecimalSI')],
  ['1.', dq(1, 0, 'DecimalSI')], ['1.G', dq(1, 9, 'DecimalSI')],
];

describe('parseQuantity', () => {
  it.each(parseTable)('%s', (input, want) => {
    const got = parseQuantity(input);
    expect(got.cmp(want)).toBe(0);
    expect(got.format).toBe(want.format);
    const neg = parseQuantity(`-${input}`);
    expect(neg.cmp(want.neg())).toBe(0);
    expect(neg.format).toBe(want.format);
    const plus = parseQuantity(`+${input}`);
    expect(plus.cmp(want)).toBe(0);
    expect(plus.format).toBe(want.format);
  });

  it.each(['', '1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', 'Non-Numeric', '1e9223372036854775808'])(
    'rejects %j',
    (input) => {
      expect(() => parseQuantity(input)).toThrow(QuantityError);
    },
  );

  it.each([
    ['', ERR_FORMAT_WRONG],
    ['1 ', ERR_FORMAT_WRONG],
    ['abc', ERR_FORMAT_WRONG],
    ['1.1.M', ERR_FORMAT_WRONG],
    ['1Kb', ERR_FORMAT_WRONG],
    ['0.1mi', ERR_SUFFIX],
    ['1i', ERR_SUFFIX],
    ['1ee3', ERR_SUFFIX],
    ['1kk', ERR_SUFFIX],
  ])('%j fails with upstream text', (input, msg) => {
    expect(() => parseQuantity(input)).toThrow(msg);
  });

  it('words the format error as upstream', () => {
    expect(ERR_FORMAT_WRONG).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(() => mustParse('x')).toThrow(`cannot parse 'x': ${ERR_FORMAT_WRONG}`);
  });

  it('parses upstream oddities', () => {
    expect(parseQuantity('.').isZero()).toBe(true);
    expect(parseQuantity('-.').isZero()).toBe(true);
    expect(parseQuantity('+').isZero()).toBe(true);
    // 1.32 wraps an exponent past int32: 2^32 + 1 becomes 1.
    expect(parseQuantity('1e4294967297').cmp(parseQuantity('10'))).toBe(0);
    expect(parseQuantity('1e-99999').toString()).toBe('1e-9');
  });
});

describe('canonical string', () => {
  // TestQuantityString: [quantity, canonical, an alternate spelling that canonicalises to it].
  const table: [Quantity, string, string][] = [
    [dq(1024 * 1024 * 1024, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [dq(300 * 1024 * 1024, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [dq(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
    [dq(1001n * 1024n ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [dq(1024n ** 4n, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [dq(5, 0, 'BinarySI'), '5', '5000m'],
    [dq(500, -3, 'BinarySI'), '500m', '0.5'],
    [dq(1, 9, 'DecimalSI'), '1G', '1000M'],
    [dq(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [dq(1000000, 3, 'DecimalSI'), '1G', ''],
    [dq(1000000000, 0, 'DecimalSI'), '1G', ''],
    [dq(1, -3, 'DecimalSI'), '1m', '1000u'],
    [dq(80, -3, 'DecimalSI'), '80m', ''],
    [dq(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [dq(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [dq(10800, -4, 'DecimalSI'), '1080m', ''],
    [dq(300, 6, 'DecimalSI'), '300M', ''],
    [dq(1, 12, 'DecimalSI'), '1T', ''],
    [dq(1, 18, 'DecimalSI'), '1E', ''],
    [dq(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [dq(1234567, -3, 'BinarySI'), '1234567m', ''],
    [dq(3, 3, 'DecimalSI'), '3k', ''],
    [dq(1025, 0, 'BinarySI'), '1025', ''],
    [dq(0, 0, 'DecimalSI'), '0', ''],
    [dq(0, 0, 'BinarySI'), '0', ''],
    [dq(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [dq(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [dq(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [dq(80, -3, 'DecimalExponent'), '80e-3', ''],
    [dq(300, 6, 'DecimalExponent'), '300e6', ''],
    [dq(1, 12, 'DecimalExponent'), '1e12', ''],
    [dq(1, 3, 'DecimalExponent'), '1e3', ''],
    [dq(3, 3, 'DecimalExponent'), '3e3', ''],
    [dq(0, 0, 'DecimalExponent'), '0', '00'],
    [dq(1, -9, 'DecimalSI'), '1n', ''],
    [dq(80, -9, 'DecimalSI'), '80n', ''],
    [dq(1080, -9, 'DecimalSI'), '1080n', ''],
    [dq(108, -8, 'DecimalSI'), '1080n', ''],
    [dq(10800, -10, 'DecimalSI'), '1080n', ''],
    [dq(1, -6, 'DecimalSI'), '1u', ''],
    [dq(80, -6, 'DecimalSI'), '80u', ''],
    [dq(1080, -6, 'DecimalSI'), '1080u', ''],
  ];
  it.each(table)('%s prints %s', (q, want, alternate) => {
    expect(q.toString()).toBe(want);
    expect(parseQuantity(want).toString()).toBe(want);
    if (alternate) expect(parseQuantity(alternate).toString()).toBe(want);
    if (!q.isZero()) expect(q.neg().toString()).toBe(`-${want}`);
  });

  // TestQuantityParseEmit, plus the examples in the brief.
  it.each([
    ['1Ki', '1Ki'], ['1Mi', '1Mi'], ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'], ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'],
    ['0.5', '500m'], ['1.5Gi', '1536Mi'], ['1000', '1k'], ['100M', '100M'], ['1e3', '1e3'], ['1.5', '1500m'], ['0.1m', '100u'],
    ['2000Mi', '2000Mi'], ['2048Mi', '2Gi'], ['128974848', '128974848'], ['129e6', '129e6'], ['123Mi', '123Mi'], ['250m', '250m'],
    ['8Ki', '8Ki'], ['0.5Ki', '512'], ['1.1Ki', '1126400m'], ['16Ei', '9223372036854775807'],
  ])('%s → %s', (input, want) => {
    expect(parseQuantity(input).toString()).toBe(want);
    const neg = parseQuantity(`-${input}`);
    if (!neg.isZero()) expect(neg.toString()).toBe(`-${want}`);
  });

  it('keeps a canonical input verbatim, as upstream', () => {
    expect(parseQuantity('+1').toString()).toBe('+1');
    expect(parseQuantity('1.').toString()).toBe('1.');
    expect(parseQuantity('1.0').toString()).toBe('1');
  });

  it('prints DecimalSI past E without a suffix (1.32)', () => {
    expect(parseQuantity('1000E').toString()).toBe('1');
    expect(parseQuantity('1000E').cmp(parseQuantity('1e21'))).toBe(0);
  });

  it('serialises to JSON as the canonical string', () => {
    expect(JSON.stringify({ cpu: parseQuantity('0.5'), mem: parseQuantity('1.5Gi') })).toBe('{"cpu":"500m","mem":"1536Mi"}');
  });

  it.each([['" 1"', '1'], ['"1 "', '1'], ['1', '1'], [' 1', '1'], ['1 ', '1'], ['10', '10'], ['-1', '-1'], [' -1', '-1']])(
    'unmarshals %s',
    (json, want) => {
      expect(quantityFromJSON(JSON.parse(json)).toString()).toBe(want);
    },
  );
});

describe('compare and arithmetic', () => {
  it.each([['0', '0', 0], ['100m', '50m', 1], ['50m', '100m', -1], ['10000T', '100Gi', 1], ['1Gi', '1G', 1], ['1000m', '1', 0], ['-1', '1', -1], ['1e21', '999E', 1]] as const)(
    'cmp(%s, %s) = %d',
    (x, y, want) => {
      expect(parseQuantity(x).cmp(parseQuantity(y))).toBe(want);
      expect(parseQuantity(y).cmp(parseQuantity(x))).toBe(-want || 0);
    },
  );

  // TestQuantityCmpInt64AndDec.
  const most = MAX;
  const least = -(1n << 63n);
  it.each([
    [dq(901, -2, 'DecimalSI'), dq(901, -2, 'DecimalSI'), 0], [dq(90, -1, 'DecimalSI'), dq(901, -2, 'DecimalSI'), -1],
    [dq(901, -2, 'DecimalSI'), dq(900, -2, 'DecimalSI'), 1], [dq(0, 1, 'DecimalSI'), dq(0, -1, 'DecimalSI'), 0],
    [dq(800, -3, 'DecimalSI'), dq(1, 0, 'DecimalSI'), -1], [dq(800, -3, 'DecimalSI'), dq(79, -2, 'DecimalSI'), 1],
    [dq(most, 0, 'DecimalSI'), dq(1, -1, 'DecimalSI'), 1], [dq(most, 1, 'DecimalSI'), dq(1, 0, 'DecimalSI'), 1],
    [dq(most, -16, 'DecimalSI'), dq(1, 3, 'DecimalSI'), -1], [dq(least, 0, 'DecimalSI'), dq(0, 0, 'DecimalSI'), -1],
    [dq(least, -18, 'DecimalSI'), dq(-1, 0, 'DecimalSI'), -1], [dq(least, -19, 'DecimalSI'), dq(-1, 0, 'DecimalSI'), 1],
    [dq(10n ** 18n, -17, 'DecimalSI'), dq(1, 1, 'DecimalSI'), 0], [dq(10n ** 18n, -17, 'DecimalSI'), dq(-10, 0, 'DecimalSI'), 1],
    [dq(-(10n ** 18n), -17, 'DecimalSI'), dq(-10, 0, 'DecimalSI'), 0], [dq(10n ** 18n + 1n, -17, 'DecimalSI'), dq(1, 1, 'DecimalSI'), 1],
    [dq(10n ** 18n - 1n, -17, 'DecimalSI'), dq(1, 1, 'DecimalSI'), -1],
  ] as const)('cmp %# = %d', (a, b, want) => {
    expect(a.cmp(b)).toBe(want);
    expect(b.cmp(a)).toBe(-want || 0);
  });

  it.each([
    [dq(10, 0, 'DecimalSI'), dq(1, 1, 'DecimalSI'), dq(0, 0, 'DecimalSI'), 'DecimalSI'],
    [dq(10, 0, 'DecimalSI'), dq(1, 0, 'BinarySI'), dq(9, 0, 'DecimalSI'), 'DecimalSI'],
    [dq(10, 0, 'BinarySI'), dq(1, 0, 'DecimalSI'), dq(9, 0, 'BinarySI'), 'BinarySI'],
    [dq(0, 0, 'DecimalSI'), dq(50, 0, 'DecimalSI'), dq(-50, 0, 'DecimalSI'), 'DecimalSI'],
    [dq(50, 0, 'DecimalSI'), dq(0, 0, 'DecimalSI'), dq(50, 0, 'DecimalSI'), 'DecimalSI'],
  ] as const)('sub %#', (a, b, want, format) => {
    const got = a.sub(b);
    expect(got.cmp(want)).toBe(0);
    expect(got.format).toBe(format);
  });

  it.each(['100m', '1Gi'])('adding or subtracting zero keeps the suffix of %s', (s) => {
    const v = parseQuantity(s);
    const zero = parseQuantity('0');
    expect(v.add(zero).toString()).toBe(s);
    expect(zero.add(v).toString()).toBe(s);
    expect(v.sub(zero).toString()).toBe(s);
    expect(zero.sub(v).toString()).toBe(`-${s}`);
  });

  it('adds in the left operand format', () => {
    expect(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString()).toBe('1536Mi');
    expect(parseQuantity('100m').add(parseQuantity('1')).toString()).toBe('1100m');
    expect(parseQuantity('1Gi').add(parseQuantity('1G')).toString()).toBe('2073741824');
    expect(parseQuantity('1G').add(parseQuantity('1Gi')).toString()).toBe('2073741824');
    expect(parseQuantity('1e3').add(parseQuantity('1k')).toString()).toBe('2e3');
    expect(parseQuantity('1').sub(parseQuantity('1500m')).toString()).toBe('-500m');
    expect(parseQuantity('2Mi').mul(3).toString()).toBe('6Mi');
    expect(parseQuantity('0.5').neg().sign()).toBe(-1);
  });

  // TestMilliNewSet, TestNewSet, TestNewScaledSet, TestScaledValue.
  it.each([
    [1, 'DecimalSI', '1m'], [1000, 'DecimalSI', '1'], [1234000, 'DecimalSI', '1234'], [1024, 'BinarySI', '1024m'],
    [1000000, 'invalid', '1e3'], [1024 * 1024, 'BinarySI', '1048576m'],
  ] as const)('newMilliQuantity(%d, %s) = %s', (v, f, want) => {
    expect(newMilliQuantity(v, f as Format).toString()).toBe(want);
  });
  it.each([
    [1, 'DecimalSI', '1'], [1000, 'DecimalSI', '1k'], [1234000, 'DecimalSI', '1234k'], [1024, 'BinarySI', '1Ki'],
    [1000000, 'invalid', '1e6'], [1024 * 1024, 'BinarySI', '1Mi'],
  ] as const)('newQuantity(%d, %s) = %s', (v, f, want) => {
    const q = newQuantity(v, f as Format);
    expect(q.toString()).toBe(want);
    expect(parseQuantity(q.toString()).value()).toBe(v);
  });
  it.each([
    [1, Scale.Nano, '1n'], [1000, Scale.Nano, '1u'], [1, Scale.Micro, '1u'], [1000, Scale.Micro, '1m'], [1, Scale.Milli, '1m'],
    [1000, Scale.Milli, '1'], [1, 0, '1'], [0, Scale.Nano, '0'], [0, 0, '0'],
  ])('newScaledQuantity(%d, %d) = %s', (v, s, want) => {
    const q = newScaledQuantity(v, s);
    expect(q.toString()).toBe(want);
    expect(parseQuantity(want).scaledValue(s)).toBe(v);
  });
  it.each([
    [Scale.Nano, Scale.Nano, 1], [Scale.Nano, Scale.Micro, 1], [Scale.Nano, Scale.Milli, 1], [Scale.Nano, 0, 1],
    [Scale.Micro, Scale.Nano, 1000], [Scale.Micro, Scale.Micro, 1], [Scale.Micro, Scale.Milli, 1], [Scale.Micro, 0, 1],
    [Scale.Milli, Scale.Nano, 1000000], [Scale.Milli, Scale.Micro, 1000], [Scale.Milli, Scale.Milli, 1], [Scale.Milli, 0, 1],
    [0, Scale.Nano, 1e9], [0, Scale.Micro, 1e6], [0, Scale.Milli, 1000], [0, 0, 1], [2, -2, 10000],
  ])('scaledValue from %d to %d = %d', (from, to, want) => {
    expect(newScaledQuantity(1, from).scaledValue(to)).toBe(want);
  });

  it.each([
    ['-.484785E-1', -1, -49], ['.484785E-1', 1, 49], ['-0.0005', -1, -1], ['0.0005', 1, 1], ['-1500m', -2, -1500], ['1500m', 2, 1500],
    ['-9.5000000001Gi', -10200547329, -10200547328108], ['9.5000000001Gi', 10200547329, 10200547328108], ['-1', -1, -1000],
    ['1', 1, 1000], ['0', 0, 0],
  ])('value/milliValue of %s round away from zero', (s, v, m) => {
    expect(parseQuantity(s).value()).toBe(v);
    expect(parseQuantity(s).milliValue()).toBe(m);
  });

  it.each([['1', 1], ['1500m', 1.5], ['1Ki', 1024], ['1.5Gi', 1610612736], ['-250m', -0.25], ['1e-9', 1e-9], ['12E', 12e18]])(
    'asApproximateFloat(%s) = %d',
    (s, f) => {
      expect(parseQuantity(s).asApproximateFloat()).toBe(f);
    },
  );
});
