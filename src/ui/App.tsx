import { useTranslation } from 'react-i18next';
import { Workspace } from './layout/Workspace.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { useLab } from './state/labStore.ts';
import { TopBar } from './topbar/TopBar.tsx';

export function App() {
  const { t } = useTranslation();
  const engine = useLab((s) => s.engine);
  return (
    <div className="app">
      <TopBar />
      {engine.kind === 'crashed' ? (
        <div className="banner error" role="alert">
          {t('engine.crashed', { message: engine.message })}
        </div>
      ) : null}
      <Workspace />
      <UpdatePrompt />
    </div>
  );
}
