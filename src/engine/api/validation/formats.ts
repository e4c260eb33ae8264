/**
 * String formats — the checks of k8s.io/apimachinery/pkg/util/validation (validation.go and ip.go) as
 * they stand in Kubernetes 1.32: DNS labels and subdomains, qualified names (label keys), label values,
 * port names and numbers, IP addresses, C identifiers, env var names, ConfigMap keys, header names,
 * percents.
 *
 * Contract: each `isX(value)` returns the list of problems worded exactly as upstream words them (the
 * `detail` a caller puts in `field.invalid(path, value, detail)`), and an empty list when the value is
 * valid. Lengths are counted in UTF-8 bytes, as Go's `len` counts them. `isFullyQualifiedDomainName` and
 * `isDomainPrefixedPath` return FieldErrors, as upstream's do.
 *
 * Left out: the feature-gated variants other than the relaxed env var name, and the 1.33+ IP
 * "legacy field" checks.
 */
import { field, type FieldError } from '../field/errors.ts';
import type { Path } from '../field/path.ts';

export const DNS1123LabelMaxLength = 63;
export const DNS1123SubdomainMaxLength = 253;
export const DNS1035LabelMaxLength = 63;
export const LabelValueMaxLength = 63;
export const qualifiedNameMaxLength = 63;

// ---- message helpers (MaxLenError, RegexError, EmptyError, InclusiveRangeError) ----

/** `must be no more than 63 characters` */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `<msg> (e.g. 'a',  or 'b', regex used for validation is '<fmt>')` — the double space is upstream's. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

/** `must be non-empty` */
export function emptyError(): string {
  return 'must be non-empty';
}

/** `must be between 1 and 65535, inclusive` */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** The UTF-8 length of a string: what Go's `len` returns. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function anchored(fmt: string): RegExp {
  return new RegExp(`^(?:${fmt})$`);
}

// ---- qualified names and label values ----

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameRegexp = anchored(qualifiedNameFmt);

/**
 * IsQualifiedName: a label or annotation key, `[prefix/]name`, the prefix a DNS subdomain and the name
 * at most 63 characters of `[-A-Za-z0-9_.]` starting and ending with an alphanumeric.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    );
    return errs;
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > qualifiedNameMaxLength) errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRegexp = anchored(labelValueFmt);

/** IsValidLabelValue: empty, or at most 63 characters of `[-A-Za-z0-9_.]` with alphanumeric ends. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength));
  if (!labelValueRegexp.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---- DNS names ----

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelFmtWithUnderscore = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelRegexp = anchored(dns1123LabelFmt);

/** IsDNS1123Label: most object names that must be one DNS label (namespaces, services' ports…). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRegexp.test(value)) errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  return errs;
}

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRegexp = anchored(dns1123SubdomainFmt);

const dns1123SubdomainFmtWithUnderscore = `${dns1123LabelFmtWithUnderscore}(\\.${dns1123LabelFmtWithUnderscore})*`;
const dns1123SubdomainErrorMsgFG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRegexpWithUnderscore = anchored(dns1123SubdomainFmtWithUnderscore);

/** IsDNS1123Subdomain: the format of most object names (pods, deployments, configmaps…). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRegexp.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

/** IsDNS1123SubdomainWithUnderscore: a subdomain whose labels may start with `_` (dnsConfig.searches, relaxed). */
export function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRegexpWithUnderscore.test(value)) {
    errs.push(regexError(dns1123SubdomainErrorMsgFG, dns1123SubdomainFmtWithUnderscore, 'example.com'));
  }
  return errs;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelRegexp = anchored(dns1035LabelFmt);

/** IsDNS1035Label: a label that starts with a letter (service names, container names' cousins). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRegexp.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const wildcardDNS1123SubdomainRegexp = anchored(wildcardDNS1123SubdomainFmt);

/** IsWildcardDNS1123Subdomain: `*.example.com` (RFC 1034 section 4.3.3). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!wildcardDNS1123SubdomainRegexp.test(value)) {
    errs.push(regexError(wildcardDNS1123SubdomainErrMsg, wildcardDNS1123SubdomainFmt, '*.example.com'));
  }
  return errs;
}

/**
 * IsFullyQualifiedDomainName: a subdomain of at least two labels, each a DNS-1123 label; a trailing
 * dot is accepted. Reports at most one error, as upstream.
 */
export function isFullyQualifiedDomainName(fldPath: Path, name: string): FieldError[] {
  if (name.length === 0) return [field.required(fldPath, '')];
  if (name.endsWith('.')) name = name.slice(0, -1);
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [field.invalid(fldPath, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [field.invalid(fldPath, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const le = isDNS1123Label(label);
    if (le.length > 0) return [field.invalid(fldPath, label, le.join(','))];
  }
  return [];
}

/**
 * IsFullyQualifiedName: a subdomain of at least three labels, no trailing dot (the older, stricter
 * check some fields, such as a CRD's name, still use).
 */
export function isFullyQualifiedName(fldPath: Path, name: string): FieldError[] {
  if (name.length === 0) return [field.required(fldPath, '')];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [field.invalid(fldPath, name, errs.join(','))];
  if (name.split('.').length < 3) return [field.invalid(fldPath, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRegexp = anchored(httpPathFmt);

/** IsDomainPrefixedPath: `acme.io/foo` — a subdomain, a slash, an RFC 3986 path (ingress class controllers…). */
export function isDomainPrefixedPath(fldPath: Path, dpPath: string): FieldError[] {
  if (dpPath.length === 0) return [field.required(fldPath, '')];
  const slash = dpPath.indexOf('/');
  if (slash <= 0 || slash === dpPath.length - 1) {
    return [field.invalid(fldPath, dpPath, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const host = dpPath.slice(0, slash);
  const out = isDNS1123Subdomain(host).map((e) => field.invalid(fldPath, host, e));
  const path = dpPath.slice(slash + 1);
  if (!httpPathRegexp.test(path)) out.push(field.invalid(fldPath, path, regexError('Invalid path', httpPathFmt)));
  return out;
}

// ---- identifiers, ports, numbers ----

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const identifierErrMsg = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifierRegexp = anchored(cIdentifierFmt);

/** IsCIdentifier: the format, not the length. */
export function isCIdentifier(value: string): string[] {
  if (!cIdentifierRegexp.test(value)) return [regexError(identifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
  return [];
}

/** IsValidPortNum: 1…65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return [];
  return [inclusiveRangeError(1, 65535)];
}

/** IsInRange: an inclusive range. */
export function isInRange(value: number, min: number, max: number): string[] {
  if (value >= min && value <= max) return [];
  return [inclusiveRangeError(min, max)];
}

const maxUserID = 2147483647;
const maxGroupID = 2147483647;

/** IsValidGroupID: 0…2147483647 (libcontainer's limit). */
export function isValidGroupID(gid: number): string[] {
  return gid >= 0 && gid <= maxGroupID ? [] : [inclusiveRangeError(0, maxGroupID)];
}

/** IsValidUserID: 0…2147483647 (libcontainer's limit). */
export function isValidUserID(uid: number): string[] {
  return uid >= 0 && uid <= maxUserID ? [] : [inclusiveRangeError(0, maxUserID)];
}

const portNameCharsetRegex = /^[-a-z0-9]+$/;
const portNameOneLetterRegexp = /[a-z]/;

/** IsValidPortName: an IANA_SVC_NAME — at most 15 of `[-a-z0-9]`, a letter, no `--`, no hyphen at the ends. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRegex.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!portNameOneLetterRegexp.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// ---- IP addresses (ip.go; parsing as netutils.ParseIPSloppy: IPv4 octets may have leading zeros) ----

/** Parses an IP as Go's net.ParseIP (sloppy) does: 4 bytes for IPv4, 16 for IPv6, undefined if invalid. */
export function parseIP(s: string): Uint8Array | undefined {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = parseInt(p, 10);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return undefined;
  const head = dbl === -1 ? s : s.slice(0, dbl);
  const tail = dbl === -1 ? '' : s.slice(dbl + 2);
  const headBytes = ipv6Groups(head, dbl === -1);
  const tailBytes = ipv6Groups(tail, true);
  if (!headBytes || !tailBytes) return undefined;
  if (dbl === -1) {
    if (headBytes.length !== 16) return undefined;
    out.set(headBytes);
    return out;
  }
  if (headBytes.length + tailBytes.length > 14) return undefined;
  out.set(headBytes, 0);
  out.set(tailBytes, 16 - tailBytes.length);
  return out;
}

/** The bytes of `g:g:g` (the last group may be a dotted IPv4 when `ipv4Last`); [] for ''. */
function ipv6Groups(s: string, ipv4Last: boolean): number[] | undefined {
  if (s === '') return [];
  const groups = s.split(':');
  const bytes: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (ipv4Last && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIPv4(g);
      if (!v4) return undefined;
      bytes.push(...v4);
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return bytes;
}

/** Whether a parsed IP is an IPv4 address (Go's To4() != nil: 4 bytes, or IPv4-mapped IPv6). */
function isIPv4Bytes(ip: Uint8Array): boolean {
  if (ip.length === 4) return true;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** IsValidIP: any IPv4 or IPv6 address. */
export function isValidIP(value: string): string[] {
  return parseIP(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** IsValidIPv4Address: an IPv4 address (IPv4-mapped IPv6 counts, as in Go). */
export function isValidIPv4Address(value: string): string[] {
  const ip = parseIP(value);
  return ip && isIPv4Bytes(ip) ? [] : ['must be a valid IPv4 address'];
}

/** IsValidIPv6Address: an IPv6 address that is not IPv4-mapped. */
export function isValidIPv6Address(value: string): string[] {
  const ip = parseIP(value);
  return ip && !isIPv4Bytes(ip) ? [] : ['must be a valid IPv6 address'];
}

/** IsValidCIDR: `10.9.8.0/24` or `2001:db8::/64` (host bits may be set, as ParseCIDRSloppy allows). */
export function isValidCIDR(value: string): string[] {
  const bad = ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  const slash = value.indexOf('/');
  if (slash === -1) return bad;
  const ip = parseIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(bits)) return bad;
  if (bits.length > 1 && bits.startsWith('0')) return bad;
  return parseInt(bits, 10) <= ip.length * 8 ? [] : bad;
}

// ---- misc string formats ----

const percentFmt = '[0-9]+%';
const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";
const percentRegexp = anchored(percentFmt);

/** IsValidPercent: `25%`. */
export function isValidPercent(percent: string): string[] {
  return percentRegexp.test(percent) ? [] : [regexError(percentErrMsg, percentFmt, '1%', '93%')];
}

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameErrMsg = "a valid HTTP header must consist of alphanumeric characters or '-'";
const httpHeaderNameRegexp = anchored(httpHeaderNameFmt);

/** IsHTTPHeaderName: Go's stricter-than-RFC 7230 header field name. */
export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderNameRegexp.test(value) ? [] : [regexError(httpHeaderNameErrMsg, httpHeaderNameFmt, 'X-Header-Name')];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameFmtErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const relaxedEnvVarNameFmtErrMsg = "a valid environment variable name must consist only of printable ASCII characters other than '='";
const envVarNameRegexp = anchored(envVarNameFmt);

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** IsEnvVarName: a container env var name (the strict rule; RelaxedEnvironmentVariableValidation is off in 1.32). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) errs.push(regexError(envVarNameFmtErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** IsRelaxedEnvVarName: any printable ASCII but '=' (the RelaxedEnvironmentVariableValidation gate). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x3d) {
      errs.push(relaxedEnvVarNameFmtErrMsg);
      break;
    }
  }
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRegexp = anchored(configMapKeyFmt);

/** IsConfigMapKey: a key of a ConfigMap's or Secret's data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!configMapKeyRegexp.test(value)) errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** Alias of isValidPercent under the name other modules look for. */
export const isPercent = isValidPercent;
