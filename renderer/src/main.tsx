import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.ts';
import { ClientContext } from './api/context.tsx';
import { App } from './App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientContext.Provider value={createClient()}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
