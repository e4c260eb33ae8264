/**
 * Content digests as go-digest writes them (`sha256:<64 lowercase hex>`), the 12-hex short form docker
 * prints for IDs (stringid.TruncateID), and layer chain IDs (image-spec config.md: ChainID(L₀) = DiffID(L₀),
 * ChainID(Lₙ) = sha256(ChainID(Lₙ₋₁) + " " + DiffID(Lₙ))), which docker prints when it deletes layers and
 * containerd uses as snapshot keys.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** A content digest: algorithm `sha256`, then 64 lowercase hex digits. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const utf8 = new TextEncoder();

/** The sha256 digest of `bytes`, or of a string's UTF-8 bytes. */
export function sha256Digest(content: Uint8Array | string): Digest {
  const bytes = typeof content === 'string' ? utf8.encode(content) : content;
  return `sha256:${bytesToHex(sha256(bytes))}`;
}

/** Whether `s` is a well-formed sha256 digest. */
export function isDigest(s: string): s is Digest {
  return DIGEST.test(s);
}

/** The hex part of a digest (what `docker images --no-trunc` shows after `sha256:`). */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/** The first 12 hex digits, as docker shows image IDs and layer IDs (stringid.TruncateID). */
export function shortId(digest: string): string {
  const colon = digest.indexOf(':');
  return digest.slice(colon + 1, colon + 13);
}

/** The chain IDs of a stack of layers given their diff IDs, bottom first. */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`));
  }
  return out;
}
