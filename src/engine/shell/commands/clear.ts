/** clear — ncurses' clear for TERM=xterm-256color: home, erase the screen and the scrollback. */
import { EXIT, type Command } from '../command.ts';

export const clear: Command = (ctx) => {
  ctx.shell.clearScreen();
  return EXIT.ok;
};
