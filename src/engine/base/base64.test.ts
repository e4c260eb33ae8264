import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, encodeBase64Text } from './base64.ts';

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['hunter2', 'aHVudGVyMg=='],
    ['你好', '5L2g5aW9'],
  ])('encodes %j as UTF-8 to %s and back', (text, encoded) => {
    expect(encodeBase64Text(text)).toBe(encoded);
    expect(new TextDecoder().decode(decodeBase64(encoded))).toBe(text);
  });

  it('round-trips every byte value, and refuses characters outside the alphabet', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...decodeBase64(encodeBase64(bytes))!]).toEqual([...bytes]);
    expect(decodeBase64('not base64!')).toBeUndefined();
  });
});
