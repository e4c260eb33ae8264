/**
 * The terminals: one tab per shell session.
 */
import { TerminalView } from './TerminalView.tsx';

export function TerminalTabs() {
  return <TerminalView />;
}
