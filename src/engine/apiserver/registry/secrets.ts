/**
 * The secret registry's own rule (the v1 → internal conversion upstream): `stringData` is a write-only
 * convenience; its entries are encoded into `data` (overwriting keys both name) and it is never stored.
 */
import { encodeBase64Text } from '../../base/base64.ts';
import type { KindHooks } from './kindStrategy.ts';
import type { KubeObject } from './strategy.ts';

function foldStringData(object: KubeObject): void {
  const stringData = object.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = { ...(object.data as Record<string, string> | undefined) };
  for (const [key, value] of Object.entries(stringData)) data[key] = encodeBase64Text(String(value));
  object.data = data;
  delete object.stringData;
}

export const secretHooks: KindHooks = {
  prepareForCreate: foldStringData,
  prepareForUpdate: foldStringData,
};
