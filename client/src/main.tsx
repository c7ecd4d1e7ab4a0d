/** Entry point: mounts the page the address names (root.tsx). */
import './zod-jitless.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './root.tsx';
// The CJK font is served with the client, regular and bold (600 takes the bold): a wall PC or kiosk
// without one would draw every Chinese character as a box. Its CSS splits it by unicode-range, so a
// page fetches only the slices of the characters it shows.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
