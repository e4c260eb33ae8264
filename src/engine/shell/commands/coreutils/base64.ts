/**
 * base64 — GNU coreutils: encode a file (or stdin) wrapped at 76 columns (-w COLS, 0 for none), or
 * decode it (-d; -i ignores garbage). Text is taken as UTF-8 and decoded bytes are read back as UTF-8,
 * since the shell's pipes carry strings.
 */
import { decodeBase64, encodeBase64Text } from '../../../base/base64.ts';
import { EXIT } from '../../command.ts';
import type { FsCommand } from './fsTypes.ts';
import { getopt } from './getopt.ts';
import { readInput } from './input.ts';

export const base64: FsCommand = (ctx) => {
  const opts = getopt(ctx, { flags: 'di', withArg: 'w', long: { decode: 'd', 'ignore-garbage': 'i', 'wrap=': 'w' } });
  if (!opts) return EXIT.failure;
  if (opts.operands.length > 1) {
    ctx.stderr(`base64: extra operand ‘${opts.operands[1]}’\nTry 'base64 --help' for more information.\n`);
    return EXIT.failure;
  }
  const wrapArg = opts.last('w') ?? '76';
  if (!/^\d+$/.test(wrapArg)) {
    ctx.stderr(`base64: invalid wrap size: ‘${wrapArg}’\n`);
    return EXIT.failure;
  }
  const text = readInput(ctx, opts.operands[0] ?? '-');
  if (text === undefined) return EXIT.failure;
  if (opts.has('d')) {
    let clean = text.replace(/\n/g, '');
    if (opts.has('i')) clean = clean.replace(/[^A-Za-z0-9+/=]/g, '');
    const body = clean.replace(/=+$/, '');
    const bytes = /^[A-Za-z0-9+/]*$/.test(body) ? decodeBase64(body) : undefined;
    // GNU decodes 4-character groups up to the first bad one, then reports the rest as invalid.
    const good = bytes ?? decodeBase64(clean.slice(0, clean.search(/[^A-Za-z0-9+/]/) & ~3)) ?? new Uint8Array();
    ctx.stdout(new TextDecoder().decode(good));
    if (bytes === undefined || clean.length % 4 !== 0 || body.length % 4 === 1) {
      ctx.stderr('base64: invalid input\n');
      return EXIT.failure;
    }
    return EXIT.ok;
  }
  const encoded = encodeBase64Text(text);
  const wrap = Number(wrapArg);
  if (encoded === '') return EXIT.ok;
  ctx.stdout(wrap === 0 ? encoded : `${encoded.match(new RegExp(`.{1,${wrap}}`, 'g'))!.join('\n')}\n`);
  return EXIT.ok;
};
