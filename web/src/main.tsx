import './styles';

import { createRoot } from 'react-dom/client';

import { App } from './App';
import { loadConfig } from './config';
import { setupI18n } from './i18n';
import { loadPages } from './pages';

setupI18n();
// The settings and the page's own code load side by side; the first render has both.
void Promise.all([loadConfig(), loadPages(window.location.pathname)]).then(([config]) => {
  createRoot(document.getElementById('root')!).render(<App config={config} />);
});
