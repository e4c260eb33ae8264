/**
 * The page's entry: languages first, then either the lab (App) or, at `/?audience=1`, the presenter's
 * audience window (AudienceApp). Each is imported only when chosen: the audience window must never load
 * the lab's engine client, which starts a worker (a second, different cluster) as soon as it loads.
 */
import { StrictMode, type ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n/i18n.ts';
import './styles.css';

await initI18n();
const audience = new URLSearchParams(window.location.search).get('audience') === '1';
let Root: ComponentType;
if (audience) {
  const [{ followPresenter }, { AudienceApp }] = await Promise.all([import('./presenter/audience.ts'), import('./presenter/AudienceApp.tsx')]);
  followPresenter();
  Root = AudienceApp;
} else {
  Root = (await import('./App.tsx')).App;
}
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
