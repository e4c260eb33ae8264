/**
 * EscapeProxy — moby/term's NewEscapeProxy: what an attachment to a terminal reads from the client, watched
 * for the detach keys (ctrl-p,ctrl-q by default). Keys that could begin the sequence are held back; the
 * whole sequence ends the attachment (EscapeError, "read escape sequence") and never reaches the
 * container; any other key releases what was held, so a lone ctrl-p still gets through.
 *
 * Left out: --detach-keys and the config file's detachKeys (only the default sequence).
 */

/** The default detach keys as bytes: ctrl-p (0x10), ctrl-q (0x11). */
const DEFAULT_KEYS = '\x10\x11';

/** EscapeError's message. */
export const ESCAPE_ERROR = 'read escape sequence';

export class EscapeProxy {
  /** How many keys of the sequence have been read and held back. */
  private matched = 0;

  constructor(private readonly keys: string = DEFAULT_KEYS) {}

  /** What of `data` passes to the container, and whether the sequence was completed (the rest is dropped). */
  feed(data: string): { pass: string; escaped: boolean } {
    let pass = '';
    for (const c of data) {
      if (c === this.keys[this.matched]) {
        this.matched++;
        if (this.matched === this.keys.length) {
          this.matched = 0;
          return { pass, escaped: true };
        }
        continue;
      }
      pass += this.keys.slice(0, this.matched) + c;
      this.matched = 0;
    }
    return { pass, escaped: false };
  }
}
