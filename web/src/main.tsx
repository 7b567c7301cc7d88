/**
 * Entry point: mounts the app and registers the service worker that keeps the app shell for
 * offline use (built by vite-plugin-pwa; none in development).
 */
import { onlineManager } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app/app';
import { reportUpdateWaiting } from './app/app-update';
import './app/styles.css';

// The query cache follows the browser's online and offline events; a page opened offline has
// had none yet, so it starts from what the browser says now (reads wait instead of failing).
onlineManager.setOnline(navigator.onLine);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

const updateServiceWorker = registerSW({
  onNeedRefresh() {
    reportUpdateWaiting(() => updateServiceWorker(true));
  },
});
