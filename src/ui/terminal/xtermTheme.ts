/**
 * The terminal's colours for the app's two themes (ThemeSwitch): the dark one the lab started with, and a
 * light one legible on a projector — every ANSI colour at least 4.5:1 against white except the two
 * "white"s, which programs use as dim text. Keys are xterm's ITheme.
 */
import type { ITheme } from '@xterm/xterm';

export type AppTheme = 'dark' | 'light';

export const XTERM_THEMES: Readonly<Record<AppTheme, ITheme>> = {
  dark: {
    background: '#0f1419',
    foreground: '#e6e1cf',
    cursor: '#f29718',
    cursorAccent: '#0f1419',
    selectionBackground: '#2d4a63',
    black: '#000000',
    red: '#f07178',
    green: '#9ece6a',
    yellow: '#e6b450',
    blue: '#59c2ff',
    magenta: '#d2a6ff',
    cyan: '#95e6cb',
    white: '#c7c7c7',
    brightBlack: '#6c7680',
    brightRed: '#ff8f95',
    brightGreen: '#b8e986',
    brightYellow: '#ffd173',
    brightBlue: '#73d0ff',
    brightMagenta: '#dfbfff',
    brightCyan: '#b0f0dc',
    brightWhite: '#ffffff',
  },
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#0969da',
    cursorAccent: '#ffffff',
    selectionBackground: '#b6d7ff',
    selectionForeground: '#1f2328',
    black: '#24292f',
    red: '#cf222e',
    green: '#116329',
    yellow: '#7d4e00',
    blue: '#0550ae',
    magenta: '#8250df',
    cyan: '#1b6e75',
    white: '#6e7781',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#633c01',
    brightBlue: '#0969da',
    brightMagenta: '#6639ba',
    brightCyan: '#135c62',
    brightWhite: '#8c959f',
  },
};
