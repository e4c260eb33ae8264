/**
 * Generates src/engine/apiserver/protobuf/schema.json: the protobuf message table decode.ts reads.
 *
 *   node scripts/gen-protobuf-schema.mjs [path/to/kubectl-1.32]
 *
 * Runs offline. Its source is the kubectl 1.32 binary itself: every generated.pb.go of k8s.io/api and
 * k8s.io/apimachinery registers its FileDescriptorProto, gzipped, as a byte slice, so the binary holds the
 * descriptors of all the generated.proto files it was built from (field numbers, names, labels, types), plus
 * the gogoproto field options go-to-protobuf wrote: `nullable` (65001; false means a non-pointer Go field)
 * and `customname` (65004; the Go field name). The script finds each gzip stream, keeps those that parse
 * as a FileDescriptorProto named k8s.io/…/generated.proto, and writes the messages reachable from KINDS.
 *
 * Facts a descriptor does not hold come from the Go struct tags, also in the binary
 * (`strings kubectl | grep -oE 'json:"[^"]*" protobuf:"[^"]*"'`): INLINE lists the proto names of embedded
 * structs whose JSON is inlined into the parent (`json:",inline"`), JSON_NAMES the few proto names that are
 * not the JSON name. `isWrapper` finds the named-slice types (`type ExtraValue []string`) that
 * go-to-protobuf wraps in a message with one `items` field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, inflateRawSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { TextDecoder } from 'node:util';

const binary = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'engine', 'apiserver', 'protobuf', 'schema.json');

/** apiVersion → kinds served by the lab whose protobuf bodies kubectl (client-go) may send. */
const KINDS = {
  v1: ['Pod', 'Service', 'Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'ResourceQuota', 'LimitRange', 'Endpoints', 'Node',
    'PersistentVolume', 'PersistentVolumeClaim', 'Event', 'Binding', 'ReplicationController', 'PodTemplate'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'],
  'batch/v1': ['Job', 'CronJob'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction'],
  'scheduling.k8s.io/v1': ['PriorityClass'],
  'storage.k8s.io/v1': ['StorageClass'],
  'coordination.k8s.io/v1': ['Lease'],
  'discovery.k8s.io/v1': ['EndpointSlice'],
  'autoscaling/v1': ['Scale', 'HorizontalPodAutoscaler'],
  'autoscaling/v2': ['HorizontalPodAutoscaler'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  'certificates.k8s.io/v1': ['CertificateSigningRequest'],
  'events.k8s.io/v1': ['Event'],
  'node.k8s.io/v1': ['RuntimeClass'],
  'meta.k8s.io/v1': ['DeleteOptions'],
};

/** The proto package of an apiVersion's group. */
function packageOf(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  if (group === 'meta.k8s.io') return `k8s.io.apimachinery.pkg.apis.meta.${version}`;
  return `k8s.io.api.${group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '')}.${version}`;
}

/** apimachinery types with their own JSON form (a custom MarshalJSON in Go), decoded by name in decode.ts. */
const SPECIAL = {
  '.k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  '.k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'Duration',
  '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'FieldsV1',
  '.k8s.io.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  '.k8s.io.apimachinery.pkg.runtime.RawExtension': 'RawExtension',
};
/**
 * A named []string type (`type ExtraValue []string`, metav1.Verbs): go-to-protobuf gives it a message with
 * the one field `repeated string items = 1`; its JSON is the bare array. (A …List kind also has `items`,
 * but of messages, and more fields.)
 */
const isWrapper = (m) => m !== undefined && m.fields.length === 1 && m.fields[0].name === 'items' && m.fields[0].label === 3 && m.fields[0].type === 9;
const wrappers = new Set();
/** Proto names of embedded fields tagged `json:",inline"` (from the struct tags in the binary). */
const INLINE = new Set(['handler', 'localObjectReference', 'ingressRuleValue', 'persistentVolumeSource', 'volumeSource',
  'ephemeralContainerCommon', 'rule', 'ruleWithOperations', 'deviceConfiguration']);

/**
 * Proto names that are not the field's JSON name: every tag in the binary whose `json:"…"` name differs from
 * its `protobuf:"…,name=…"` (other than inline and `json:"-"` fields).
 */
const JSON_NAMES = { aPIGroup: 'apiGroup', uID: 'uid', Name: 'name', Expression: 'expression' };

const SCALARS = { 1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool', 9: 'string',
  12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64' };

/** Minimal protobuf wire reader: yields [fieldNumber, wireType, value] (bigint for varints, bytes otherwise). */
function* fields(b) {
  let p = 0;
  const varint = () => {
    let r = 0n;
    for (let s = 0n; ; s += 7n) {
      const c = b[p++];
      if (c === undefined) throw new Error('truncated varint');
      r |= BigInt(c & 0x7f) << s;
      if (!(c & 0x80)) return r;
    }
  };
  while (p < b.length) {
    const key = Number(varint());
    const wt = key & 7;
    if (wt === 0) yield [key >>> 3, wt, varint()];
    else if (wt === 2) { const n = Number(varint()); yield [key >>> 3, wt, b.subarray(p, p + n)]; p += n; }
    else if (wt === 1) { yield [key >>> 3, wt, b.subarray(p, p + 8)]; p += 8; }
    else if (wt === 5) { yield [key >>> 3, wt, b.subarray(p, p + 4)]; p += 4; }
    else throw new Error(`wire type ${wt}`);
  }
}
const text = (b) => new TextDecoder().decode(b);

/** DescriptorProto → {name, fields, nested, mapEntry}. */
function message(b, prefix, all) {
  const m = { fields: [], mapEntry: false };
  const nested = [];
  for (const [f, , v] of fields(b)) {
    if (f === 1) m.name = `${prefix}.${text(v)}`;
    else if (f === 3) nested.push(v);
    else if (f === 7) {
      for (const [o, , x] of fields(v)) if (o === 7) m.mapEntry = x === 1n;
    } else if (f === 2) {
      const fd = { nullable: true };
      for (const [g, , x] of fields(v)) {
        if (g === 1) fd.name = text(x);
        else if (g === 3) fd.number = Number(x);
        else if (g === 4) fd.label = Number(x);
        else if (g === 5) fd.type = Number(x);
        else if (g === 6) fd.typeName = text(x);
        else if (g === 8) {
          for (const [o, , y] of fields(x)) {
            if (o === 65001) fd.nullable = y !== 0n;
            if (o === 65004) fd.goName = text(y);
          }
        }
      }
      m.fields.push(fd);
    }
  }
  all.set(m.name, m);
  for (const n of nested) message(n, m.name, all);
}

const all = new Map();
const files = [];
const bin = readFileSync(binary);
for (let i = bin.indexOf(0x1f); i >= 0; i = bin.indexOf(0x1f, i + 1)) {
  // A gzip header as Go's compress/gzip writes it (deflate, no flags); inflate only the one member that follows.
  if (bin[i + 1] !== 0x8b || bin[i + 2] !== 8 || bin[i + 3] !== 0) continue;
  let fd;
  try { fd = inflateRawSync(bin.subarray(i + 10, i + 10 + (1 << 21)), { finishFlush: constants.Z_SYNC_FLUSH }); } catch { continue; }
  if (fd[0] !== 0x0a) continue;
  let name = '', pkg = '';
  const msgs = [];
  try {
    for (const [f, , v] of fields(fd)) {
      if (f === 1) name = text(v);
      else if (f === 2) pkg = text(v);
      else if (f === 4) msgs.push(v);
    }
  } catch { continue; }
  if (!/^k8s\.io\/(api|apimachinery)\/.*generated\.proto$/.test(name)) continue;
  files.push(name);
  for (const m of msgs) message(m, `.${pkg}`, all);
}
if (!all.size) throw new Error(`no k8s.io generated.proto descriptors in ${binary}`);

const short = (full) => full.replace(/^\.k8s\.io\.api\./, '').replace(/^\.k8s\.io\.apimachinery\.pkg\.apis\./, '').replace(/^\.k8s\.io\.apimachinery\.pkg\./, '');
const schema = { kinds: {}, messages: {} };
const queue = [];
for (const [apiVersion, kinds] of Object.entries(KINDS)) {
  schema.kinds[apiVersion] = {};
  for (const kind of kinds) {
    const full = `.${packageOf(apiVersion)}.${kind}`;
    if (!all.has(full)) throw new Error(`no message ${full}`);
    schema.kinds[apiVersion][kind] = short(full);
    queue.push(full);
  }
}

/** The table's type for a field: a scalar name, a SPECIAL name, "strings", or a message's short name. */
function typeOf(fd) {
  if (fd.type !== 11) {
    const t = SCALARS[fd.type];
    if (!t) throw new Error(`unsupported type ${fd.type} of ${fd.name}`);
    return t;
  }
  if (SPECIAL[fd.typeName]) return SPECIAL[fd.typeName];
  if (isWrapper(all.get(fd.typeName))) {
    wrappers.add(short(fd.typeName));
    return 'strings';
  }
  queue.push(fd.typeName);
  return short(fd.typeName);
}

const seen = new Set();
while (queue.length) {
  const full = queue.shift();
  if (seen.has(full)) continue;
  seen.add(full);
  const m = all.get(full);
  if (!m) throw new Error(`no message ${full}`);
  schema.messages[short(full)] = m.fields.map((fd) => {
    let flags = '';
    let type;
    const entry = fd.type === 11 ? all.get(fd.typeName) : undefined;
    if (entry?.mapEntry) {
      const [k, v] = entry.fields;
      if (k.type !== 9) throw new Error(`map key of ${full}.${fd.name} is not a string`);
      flags += 'm';
      type = typeOf(v);
    } else {
      type = typeOf(fd);
      if (fd.label === 3) flags += 'r';
      if (fd.type !== 11 && fd.label !== 3 && fd.nullable) flags += 'p';
      if (fd.type === 11 && INLINE.has(fd.name) && !fd.nullable && fd.goName === fd.typeName.split('.').pop()) flags += 'i';
    }
    const name = JSON_NAMES[fd.name] ?? fd.name;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`${full}.${fd.name}: proto name is not a JSON name`);
    return flags ? [fd.number, name, type, flags] : [fd.number, name, type];
  });
}

const json = `{"kinds":${JSON.stringify(schema.kinds)},\n"messages":{\n${Object.entries(schema.messages)
  .sort(([a], [b]) => (a < b ? -1 : 1))
  .map(([name, fs]) => `${JSON.stringify(name)}:${JSON.stringify(fs)}`)
  .join(',\n')}}}\n`;
writeFileSync(out, json);
process.stdout.write(`${files.length} descriptors, wrappers ${[...wrappers].join(' ')}, ${Object.keys(schema.messages).length} messages, ${json.length} bytes → ${out}\n`);
