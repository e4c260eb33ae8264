/**
 * tty — Linux's pseudo-terminals: a master/slave pair with the N_TTY line discipline (canonical mode and
 * its editing keys, echo, signals from ^C, ^\ and ^Z to the foreground group, ONLCR, the window size and
 * SIGWINCH, hangup), numbered by a devpts instance.
 *
 * Left out: virtual consoles and serial lines, /dev/tty and /dev/pts/N as openable nodes, job control's
 * background-group signals, and termios beyond the flags Termios names.
 */
export { Devpts } from './devpts.ts';
export { Pty, SANE_TERMIOS, cfmakeraw, type Termios } from './pty.ts';
