import '@oidc-device-login/react/styles.css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Boot } from './Boot.tsx';
import { applyTheme, storedTheme } from './theme.ts';

applyTheme(storedTheme(), false);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <Boot />
  </StrictMode>,
);
