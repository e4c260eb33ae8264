/**
 * The workspace under the top bar: the visuals (diagram tabs) in the centre, the terminal below them,
 * and a splitter between that the student drags (or moves with the keyboard) to share the height.
 */
import { useTranslation } from 'react-i18next';
import { EditorDock } from '../editor/EditorDock.tsx';
import { TerminalTabs } from '../terminal/TerminalTabs.tsx';
import { DiagramTabs } from './DiagramTabs.tsx';
import { SplitPane } from './SplitPane.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';

export function Workspace() {
  const { t } = useTranslation();
  return (
    <main className="workspace">
      <SplitPane
        id="visuals-terminal"
        direction="column"
        firstId="visuals-pane"
        label={t('layout.resizeTerminal')}
        defaultFraction={0.58}
        minFirst={120}
        minSecond={140}
        first={<DiagramTabs toolbar={<ThemeSwitch />} />}
        second={
          <EditorDock>
            <TerminalTabs />
          </EditorDock>
        }
      />
    </main>
  );
}
