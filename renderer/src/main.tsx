import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, takeToken } from './api/client.ts';
import { ClientContext } from './api/context.tsx';
import { App } from './App.tsx';
import { askForFrameOnKeys } from './keyFrame.ts';
import './styles.css';

// Opening a new launch's address in a tab already on this origin changes only the
// fragment, which does not reload the page: take the new token and start afresh.
window.addEventListener('hashchange', () => {
  if (/(?:^#|&)token=/.test(window.location.hash) && takeToken()) window.location.reload();
});

// Before anything else listens for keys (see keyFrame.ts).
askForFrameOnKeys(window);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={createClient()}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
