/**
 * The workspace under the top bar: the visuals (diagram tabs) in the centre, the terminal below them,
 * and a splitter between that the student drags (or moves with the keyboard) to share the height.
 * On the left, when open, the Lessons pane (loaded on demand), with its own splitter; closing it keeps
 * everything else mounted (the terminals and their sessions live on).
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useLessons } from '../lessons/lessonsStore.ts';
import { EditorDock } from '../editor/EditorDock.tsx';
import { TerminalTabs } from '../terminal/TerminalTabs.tsx';
import { DiagramTabs } from './DiagramTabs.tsx';
import { SplitPane } from './SplitPane.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';

const LessonsPane = lazy(() => import('../lessons/LessonsPane.tsx'));

export function Workspace() {
  const { t } = useTranslation();
  const lessonsOpen = useLessons((s) => s.paneOpen);
  const visualsAndTerminal = (
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
  );
  return (
    <main className="workspace">
      <SplitPane
        id="lessons-workspace"
        direction="row"
        firstId="lessons-pane"
        label={t('lessons.resize')}
        defaultFraction={0.3}
        minFirst={280}
        minSecond={520}
        collapsed={!lessonsOpen}
        first={
          lessonsOpen ? (
            <Suspense fallback={<p className="lessons-loading">{t('lessons.loading')}</p>}>
              <LessonsPane />
            </Suspense>
          ) : null
        }
        second={visualsAndTerminal}
      />
    </main>
  );
}
