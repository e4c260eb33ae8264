import { describe, it, expect } from 'vitest';
import { Path } from '../field/path.ts';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isDomainPrefixedPath,
  isEnvVarName,
  isFullyQualifiedDomainName,
  isFullyQualifiedName,
  isHTTPHeaderName,
  isInRange,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidCIDR,
  isValidGroupID,
  isValidIP,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  isWildcardDNS1123Subdomain,
  regexError,
} from './formats.ts';

const r = (s: string, n: number) => s.repeat(n);
const root = Path.of('f');

// Tables from k8s.io/apimachinery/pkg/util/validation/validation_test.go.
describe('IsDNS1123Label', () => {
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)])('accepts %j', (v) => {
    expect(isDNS1123Label(v)).toEqual([]);
  });
  it.each([
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64),
  ])('rejects %j', (v) => {
    expect(isDNS1123Label(v).length).toBeGreaterThan(0);
  });
  it('words its errors as upstream', () => {
    expect(isDNS1123Label('My_Name')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label(r('a', 64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('IsDNS1123Subdomain', () => {
  it.each([
    'a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a.a', 'ab.a', 'abc.a', 'a1.a',
    'a-1.a', 'a--1--2--b.a', 'a.1', 'ab.1', 'abc.1', 'a1.1', 'a-1.1', 'a--1--2--b.1', '0.a', '01.a', '012.a', '1a.a', '1-a.a',
    '0.1', '01.1', '012.1', '1a.1', '1-a.1', '1--a--b--2.1', 'a.b.c.d.e', 'aa.bb.cc.dd.ee', '1.2.3.4.5', '11.22.33.44.55', r('a', 253),
  ])('accepts %j', (v) => {
    expect(isDNS1123Subdomain(v)).toEqual([]);
  });
  it.each([
    '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.',
    '.a', 'a..b', '1.', '.1', '1..2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'A.a', 'aB.a', 'ab.A', 'A1.a', 'a1.A', 'A.1',
    'aB.1', 'A1.1', '1A.1', '0.A', '01.A', '012.A', '1A.a', '1a.A', 'A.B.C.D.E', 'AA.BB.CC.DD.EE', 'a.B.c.d.e', 'aa.bB.cc.dd.ee',
    'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254), 'a\n',
  ])('rejects %j', (v) => {
    expect(isDNS1123Subdomain(v).length).toBeGreaterThan(0);
  });
  it('words its errors as upstream', () => {
    expect(isDNS1123Subdomain('Web')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
  it('with underscore allows _ in labels', () => {
    expect(isDNS1123SubdomainWithUnderscore('_sip._tcp.example.com')).toEqual([]);
    expect(isDNS1123SubdomainWithUnderscore('A')).toHaveLength(1);
  });
});

describe('IsDNS1035Label', () => {
  it.each(['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', r('a', 63)])('accepts %j', (v) => {
    expect(isDNS1035Label(v)).toEqual([]);
  });
  it.each([
    '0', '01', '012', '1a', '1-a', '1--a--b--2', '', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_',
    'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64),
  ])('rejects %j', (v) => {
    expect(isDNS1035Label(v).length).toBeGreaterThan(0);
  });
  it('words its errors as upstream', () => {
    expect(isDNS1035Label('1abc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
});

describe('numbers', () => {
  it.each([1, 2, 1000, 16384, 32768, 65535])('port %d is valid', (p) => expect(isValidPortNum(p)).toEqual([]));
  it.each([0, -1, 65536, 100000])('port %d is not', (p) => expect(isValidPortNum(p)).toEqual(['must be between 1 and 65535, inclusive']));
  it.each([[1, 0, 10], [5, 5, 20], [25, 10, 25]])('%d in [%d, %d]', (v, lo, hi) => expect(isInRange(v, lo, hi)).toEqual([]));
  it.each([[1, 2, 10], [5, -4, 2], [25, 100, 120]])('%d not in [%d, %d]', (v, lo, hi) => expect(isInRange(v, lo, hi)).toHaveLength(1));
  it.each([0, 1, 1000, 65535, 2147483647])('id %d is valid', (id) => {
    expect(isValidUserID(id)).toEqual([]);
    expect(isValidGroupID(id)).toEqual([]);
  });
  it.each([-1, -1003, 2147483648])('id %d is not', (id) => {
    expect(isValidUserID(id)).toEqual(['must be between 0 and 2147483647, inclusive']);
    expect(isValidGroupID(id)).toHaveLength(1);
  });
});

describe('IsValidPortName', () => {
  it.each(['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'])('accepts %j', (v) => {
    expect(isValidPortName(v)).toEqual([]);
  });
  it.each(['longerthan15characters', '', r('a', 16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'])('rejects %j', (v) => {
    expect(isValidPortName(v).length).toBeGreaterThan(0);
  });
  it('lists every problem', () => {
    expect(isValidPortName('-1--')).toEqual([
      'must contain at least one letter (a-z)',
      'must not contain consecutive hyphens',
      'must not begin or end with a hyphen',
    ]);
  });
});

describe('IsQualifiedName', () => {
  it.each([
    'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now-with-dashes/now-with-dashes',
    'now.with.dots/simple', 'now-with.dashes-and.dots/simple', '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', r('a', 63), `${r('a', 253)}/${r('b', 63)}`,
  ])('accepts %j', (v) => {
    expect(isQualifiedName(v)).toEqual([]);
  });
  it.each([
    'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
    'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`,
  ])('rejects %j', (v) => {
    expect(isQualifiedName(v).length).toBeGreaterThan(0);
  });
  it('words its errors as upstream', () => {
    const nameRule =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    expect(isQualifiedName('a/b/c')).toEqual([`a qualified name ${nameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]);
    expect(isQualifiedName('/x')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('x/')).toEqual(['name part must be non-empty', `name part ${nameRule}`]);
    expect(isQualifiedName('Ex/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName(r('a', 64))).toEqual(['name part must be no more than 63 characters']);
  });
});

describe('IsValidLabelValue', () => {
  it.each(['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), ''])('accepts %j', (v) => {
    expect(isValidLabelValue(v)).toEqual([]);
  });
  it.each([
    'nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
    '.starts.with.dot', 'ends.with.dot.', r('a', 64),
  ])('rejects %j', (v) => {
    expect(isValidLabelValue(v).length).toBeGreaterThan(0);
  });
  it('words its errors as upstream', () => {
    expect(isValidLabelValue('a b')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
  it('counts length in UTF-8 bytes', () => {
    expect(isValidLabelValue(`${r('a', 62)}ā`)[0]).toBe('must be no more than 63 characters');
  });
});

describe('IsHTTPHeaderName', () => {
  it.each([
    'Accept-Encoding', 'Host', 'If-Modified-Since', 'X-Forwarded-For', 'a', 'ab', 'abc', 'a1', '-a', 'a-', 'a-b', 'a-1', 'a--1--2--b',
    '--abc-123', 'A', 'AB', 'AbC', 'A1', '-A', 'A-', 'A-B', 'A-1', 'A--1--2--B', '--123-ABC',
  ])('accepts %j', (v) => {
    expect(isHTTPHeaderName(v)).toEqual([]);
  });
  it.each([
    'Host:', 'X-Forwarded-For:', 'X-@Home', '', '_', 'a_', '_a', '1_', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a',
    'a b', '1 ', ' 1', '1 2', '#a#', '^', ',', ';', '=', '<', '?', '@', '{',
  ])('rejects %j', (v) => {
    expect(isHTTPHeaderName(v)).toHaveLength(1);
  });
});

describe('IsValidPercent', () => {
  it.each(['0%', '00000%', '1%', '01%', '99%', '100%', '101%'])('accepts %j', (v) => expect(isValidPercent(v)).toEqual([]));
  it.each(['', '0', '100', '0.0%', '99.9%', 'hundred', ' 1%', '1% ', '-0%', '-1%', '+1%'])('rejects %j', (v) => {
    expect(isValidPercent(v)).toEqual([
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });
});

describe('IsConfigMapKey', () => {
  it.each(['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'])('accepts %j', (v) => {
    expect(isConfigMapKey(v)).toEqual([]);
  });
  it.each([
    ['.', ["must not be '.'"]],
    ['..', ["must not be '..'"]],
    ['..bad', ["must not start with '..'"]],
    ['b*d', ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
  ])('rejects %j', (v, want) => {
    expect(isConfigMapKey(v)).toEqual(want);
  });
});

describe('IsWildcardDNS1123Subdomain', () => {
  it.each(['*.example.com', '*.bar.com', '*.foo.bar.com'])('accepts %j', (v) => expect(isWildcardDNS1123Subdomain(v)).toEqual([]));
  it.each(['*.*.bar.com', '*.foo.*.com', '*bar.com', 'f*.bar.com', '*'])('rejects %j', (v) => expect(isWildcardDNS1123Subdomain(v)).toHaveLength(1));
});

describe('IsFullyQualifiedDomainName', () => {
  it.each([
    'a.com', 'k8s.io', 'dev.k8s.io', 'dev.k8s.io.', 'foo.example.com', 'this.is.a.really.long.fqdn', 'bbc.co.uk', '10.0.0.1',
    'hyphens-are-good.k8s.io', `${r('a', 63)}.k8s.io`, `${r('a', 63)}.${r('b', 63)}.${r('c', 63)}.${r('d', 54)}.k8s.io`,
  ])('accepts %j', (v) => expect(isFullyQualifiedDomainName(root, v)).toEqual([]));
  it.each([
    '.', '...', '.io', 'com', '.com', 'Dev.k8s.io', '.foo.example.com', '*.example.com', '*.bar.com', '*.foo.bar.com',
    'underscores_are_bad.k8s.io', 'foo@bar.example.com', 'http://foo.example.com', `${r('a', 64)}.k8s.io`,
    `${r('a', 63)}.${r('b', 63)}.${r('c', 63)}.${r('d', 55)}.k8s.io`,
  ])('rejects %j', (v) => expect(isFullyQualifiedDomainName(root, v)).toHaveLength(1));
});

describe('IsFullyQualifiedName', () => {
  it.each(['dev.k8s.io', 'foo.example.com', 'this.is.a.really.long.fqdn', 'bbc.co.uk', '10.0.0.1', 'hyphens-are-good.k8s.io', `${r('a', 246)}.k8s.io`])(
    'accepts %j',
    (v) => expect(isFullyQualifiedName(root, v)).toEqual([]),
  );
  it.each([
    ['k8s.io', 'should be a domain with at least three segments separated by dots'],
    ['http://foo.k8s.io', 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters'],
    ['example@foo.k8s.io', 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters'],
    ['', 'Required value'],
    ['A.B.C', 'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters'],
    ['dev.k8s.io.', 'a lowercase RFC 1123 subdomain'],
    [`${r('a', 247)}.k8s.io`, 'must be no more than 253 characters'],
  ])('rejects %j', (v, msg) => {
    const errs = isFullyQualifiedName(root, v);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.toString()).toContain(msg);
  });
});

describe('IsDomainPrefixedPath', () => {
  it.each([
    'a/b', 'a/b/c/d', 'a.com/foo', 'a.b.c.d/foo', 'k8s.io/foo/bar', 'k8s.io/FOO/BAR', 'dev.k8s.io/more/path',
    'this.is.a.really.long.fqdn/even/longer/path/just/because', 'bbc.co.uk/path/goes/here', '10.0.0.1/foo',
    'hyphens-are-good.k8s.io/and-in-paths-too', `${r('a', 240)}.k8s.io/a`, `k8s.io/${r('a', 240)}`,
  ])('accepts %j', (v) => expect(isDomainPrefixedPath(root, v)).toEqual([]));
  it.each([
    '.', '...', '/b', 'com', '.com', 'a.b.c.d/foo?a=b', 'a.b.c.d/foo#a', 'Dev.k8s.io', '.foo.example.com', '*.example.com',
    'example.com/foo{}[]@^`', 'underscores_are_bad.k8s.io', 'underscores_are_bad.k8s.io/foo', 'foo@bar.example.com',
    'foo@bar.example.com/foo', `${r('a', 247)}.k8s.io`,
  ])('rejects %j', (v) => expect(isDomainPrefixedPath(root, v).length).toBeGreaterThan(0));
  it('words the missing prefix as upstream', () => {
    expect(isDomainPrefixedPath(root, 'com')[0]!.toString()).toBe('f: Invalid value: "com": must be a domain-prefixed path (such as "acme.io/foo")');
  });
});

describe('env var names and C identifiers', () => {
  it.each(['A', 'AB', 'AbC', 'A1', 'a', 'ab', 'a_b', 'my.env-name', 'MY_ENV.NAME', '-a', '.a', '_'])('env %j is valid', (v) => {
    expect(isEnvVarName(v)).toEqual([]);
  });
  it.each(['1', '1a', 'a b', 'a=b', '$a', '..a'])('env %j is not', (v) => {
    expect(isEnvVarName(v).length).toBeGreaterThan(0);
  });
  it('words env errors as upstream', () => {
    expect(isEnvVarName('1x')).toEqual([
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ]);
    expect(isEnvVarName('..')).toEqual(["must not be '..'"]);
  });
  it.each(['-', ':', '_', '+a', '>a', '<a', 'a.', 'a..', '*a', '%a', '?a', 'a:a', 'a_a', 'aAz', '~a', '|a', 'a0a', 'a9', '/a', 'a ', '#a', '0a', '0 a', "'a", '(a', '@a'])(
    'relaxed env %j is valid',
    (v) => expect(isRelaxedEnvVarName(v)).toEqual([]),
  );
  it.each(['', '=', 'a=', '1=a', 'a=b', 'a\tb', 'é'])('relaxed env %j is not', (v) => expect(isRelaxedEnvVarName(v)).toHaveLength(1));
  it.each(['a', 'ab', 'abc', 'a1', '_a', 'a_', 'a_b', 'a_1', '__1__2__b', '__abc_123', 'A', 'AB', 'AbC', 'A1', '_A', 'A_', 'A_B', 'A_1'])('C %j', (v) => {
    expect(isCIdentifier(v)).toEqual([]);
  });
  it.each(['', '1', '123', '1a', '-', 'a-', '-a', 'a-b', 'a b', '1 2', '#a#', '^', ',', ';', '=', '<', '?', '@', '{'])('not C %j', (v) => {
    expect(isCIdentifier(v)).toHaveLength(1);
  });
});

describe('IP addresses', () => {
  it.each(['127.0.0.1', '10.0.0.1', '255.0.0.255', '1.2.3.4', '010.001.002.003', '::1', '2a00:79e0:2:0:f1c3:e797:93c1:df80', '::',
    '2001:db8::10:1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1::', '::ffff:192.168.0.1'])('%j is an IP', (v) => {
    expect(isValidIP(v)).toEqual([]);
  });
  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', ' 1.2.3.4', '::1::1', '1:2:3:4:5:6:7:8:9', '2001:db8:::1', 'fe80::1%eth0', '1.2.3.4/8', 'a.b.c.d', '12345::'])(
    '%j is not',
    (v) => expect(isValidIP(v)).toEqual(['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']),
  );
  it('tells the families apart as Go does', () => {
    expect(isValidIPv4Address('1.2.3.4')).toEqual([]);
    expect(isValidIPv4Address('::ffff:1.2.3.4')).toEqual([]);
    expect(isValidIPv4Address('::1')).toEqual(['must be a valid IPv4 address']);
    expect(isValidIPv6Address('::1')).toEqual([]);
    expect(isValidIPv6Address('1.2.3.4')).toEqual(['must be a valid IPv6 address']);
  });
  it.each([['10.0.0.0/8', true], ['10.1.2.3/32', true], ['2001:db8::/64', true], ['::/0', true], ['10.0.0.0/33', false], ['10.0.0.0', false], ['10.0.0.0/08', false], ['::/129', false], ['x/8', false]])(
    'CIDR %j valid=%j',
    (v, ok) => expect(isValidCIDR(v).length === 0).toBe(ok),
  );
});

it('regexError joins examples with upstream spacing', () => {
  expect(regexError('m', 'f')).toBe("m (regex used for validation is 'f')");
  expect(regexError('m', 'f', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});
