/**
 * The cluster's key material as kubeadm's `certs` phase makes it (cmd/kubeadm/app/phases/certs): the
 * service-account key pair (/etc/kubernetes/pki/sa.key, sa.pub) the apiserver signs tokens with, and the
 * self-signed cluster CA (/etc/kubernetes/pki/ca.crt: CN=kubernetes, ten years, backdated five minutes,
 * keyUsage digitalSignature+keyEncipherment+keyCertSign, CA:TRUE, SAN DNS:kubernetes).
 *
 * The lab has no RSA. A key here is shaped like a 2048-bit RSA key — a 256-byte modulus drawn from the
 * seeded rng (top bit and low bit set) with exponent 65537 — and is written in real DER, so the CA PEM
 * decodes as an X.509 certificate and the key id is upstream's (sha256 of the PKIX public key). A
 * "signature" is a deterministic stand-in: 256 bytes of SHA-256 over a secret drawn with the key and the
 * signed bytes, which only this key can reproduce (and so verify). No real verifier would accept one.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBase64 } from '../../base/base64.ts';
import type { SeededRng } from '../../base/seededRng.ts';

/** A key pair shaped like RSA-2048: the public modulus, and the secret the stand-in signature uses. */
export interface SigningKey {
  readonly modulus: Uint8Array;
  readonly secret: Uint8Array;
}

const utf8 = new TextEncoder();

/** A fresh key from the rng. */
export function generateSigningKey(rng: SeededRng): SigningKey {
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => rng.int(256));
  const modulus = bytes(256);
  modulus[0] = modulus[0]! | 0x80;
  modulus[255] = modulus[255]! | 0x01;
  return { modulus, secret: bytes(32) };
}

/** The stand-in for an RSASSA-PKCS1-v1_5 SHA-256 signature: 256 bytes only `key` yields for `data`. */
export function sign(key: SigningKey, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(256);
  for (let block = 0; block < 8; block++) {
    out.set(sha256(concat(key.secret, Uint8Array.of(block), data)), block * 32);
  }
  return out;
}

/** Whether `signature` is `key`'s over `data`. */
export function verify(key: SigningKey, data: Uint8Array, signature: Uint8Array): boolean {
  const expected = sign(key, data);
  return signature.length === expected.length && expected.every((b, i) => b === signature[i]);
}

/** The DER SubjectPublicKeyInfo of the key (rsaEncryption, modulus and exponent 65537). */
export function subjectPublicKeyInfo(key: SigningKey): Uint8Array {
  const rsaPublicKey = der.seq(der.int(key.modulus), der.int(Uint8Array.of(0x01, 0x00, 0x01)));
  return der.seq(der.seq(der.oid('1.2.840.113549.1.1.1'), der.null()), der.bitString(rsaPublicKey));
}

/** upstream keyIDFromPublicKey: base64url (unpadded) of sha256 over the PKIX public key. */
export function keyId(key: SigningKey): string {
  return base64Url(sha256(subjectPublicKeyInfo(key)));
}

/** Base64url without padding, as JWS writes each part. */
export function base64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The cluster CA: a fresh key and its self-signed certificate as PEM, issued at `nowMs`. */
export function generateClusterCA(rng: SeededRng, nowMs: number): { key: SigningKey; certificate: string } {
  const key = generateSigningKey(rng.fork('ca key'));
  const serial = Uint8Array.from({ length: 8 }, () => rng.int(256));
  serial[0] = serial[0]! & 0x7f;
  const backdate = 5 * 60_000;
  const tenYears = 10 * 365 * 24 * 3600_000;
  const name = der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.tlv(0x0c, utf8.encode('kubernetes')))));
  const sha256WithRsa = der.seq(der.oid('1.2.840.113549.1.1.11'), der.null());
  const spki = subjectPublicKeyInfo(key);
  const extension = (oid: string, critical: boolean, value: Uint8Array) => der.seq(der.oid(oid), ...(critical ? [der.tlv(0x01, Uint8Array.of(0xff))] : []), der.tlv(0x04, value));
  const tbs = der.seq(
    der.tlv(0xa0, der.int(Uint8Array.of(2))),
    der.int(serial),
    sha256WithRsa,
    name,
    der.seq(der.utcTime(nowMs - backdate), der.utcTime(nowMs - backdate + tenYears)),
    name,
    spki,
    der.tlv(
      0xa3,
      der.seq(
        extension('2.5.29.15', true, der.tlv(0x03, Uint8Array.of(0x02, 0xa4))),
        extension('2.5.29.19', true, der.seq(der.tlv(0x01, Uint8Array.of(0xff)))),
        extension('2.5.29.14', false, der.tlv(0x04, sha1(der.int(key.modulus)))),
        extension('2.5.29.17', false, der.seq(der.tlv(0x82, utf8.encode('kubernetes')))),
      ),
    ),
  );
  const certificate = der.seq(tbs, sha256WithRsa, der.bitString(sign(key, tbs)));
  return { key, certificate: pem('CERTIFICATE', certificate) };
}

/** PEM armour: base64 in 64-column lines between BEGIN and END lines. */
export function pem(type: string, bytes: Uint8Array): string {
  const body = encodeBase64(bytes).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The few DER encodings a certificate needs (X.690). */
const der = {
  tlv(tag: number, content: Uint8Array): Uint8Array {
    const n = content.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
    return concat(Uint8Array.of(tag, ...length), content);
  },
  seq: (...parts: Uint8Array[]) => der.tlv(0x30, concat(...parts)),
  set: (...parts: Uint8Array[]) => der.tlv(0x31, concat(...parts)),
  /** A non-negative INTEGER from big-endian bytes (a leading zero when the top bit is set). */
  int(bytes: Uint8Array): Uint8Array {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.subarray(start);
    return der.tlv(0x02, (trimmed[0] ?? 0) & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed);
  },
  null: () => Uint8Array.of(0x05, 0x00),
  bitString: (bytes: Uint8Array) => der.tlv(0x03, concat(Uint8Array.of(0), bytes)),
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map(Number);
    const out = [arcs[0]! * 40 + arcs[1]!];
    for (const arc of arcs.slice(2)) {
      const base128 = [arc & 0x7f];
      for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
      out.push(...base128);
    }
    return der.tlv(0x06, Uint8Array.from(out));
  },
  utcTime(ms: number): Uint8Array {
    const iso = new Date(ms).toISOString();
    return der.tlv(0x17, utf8.encode(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`));
  },
};
