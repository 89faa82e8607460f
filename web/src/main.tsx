import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';

import { createRoot } from 'react-dom/client';

import { App } from './App';
import { loadConfig } from './config';
import { setupI18n } from './i18n';

setupI18n();
void loadConfig().then((config) => {
  createRoot(document.getElementById('root')!).render(<App config={config} />);
});
