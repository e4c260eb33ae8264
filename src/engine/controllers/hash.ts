/**
 * controller.ComputeHash — the `pod-template-hash` of a Deployment's ReplicaSets and the
 * `controller-revision-hash` of StatefulSet and DaemonSet revisions: a 32-bit FNV-1a hash of the pod
 * template (plus the collision count, when there is one), printed in decimal and then mapped through
 * rand.SafeEncodeString's alphabet, which has no vowels (so no words) and no look-alike characters.
 *
 * Upstream hashes the Go struct as spew prints it; the lab hashes the template's canonical JSON (keys
 * sorted). The values differ from a real cluster's, but behave the same: equal templates give equal
 * hashes, any change gives another, and a collision count changes it again.
 */
const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal objects print equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv32a(text: string, hash = 0x811c9dc5): number {
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: each character mapped to the safe alphabet by its code. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

export function computeHash(template: unknown, collisionCount?: number): string {
  let hash = fnv32a(canonicalJson(template));
  if (collisionCount !== undefined && collisionCount !== null) {
    // Upstream writes the count's 4 little-endian bytes into the hasher.
    const bytes = [collisionCount & 0xff, (collisionCount >>> 8) & 0xff, (collisionCount >>> 16) & 0xff, (collisionCount >>> 24) & 0xff];
    for (const byte of bytes) {
      hash ^= byte;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return safeEncodeString(String(hash >>> 0));
}
