import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles/page.css';
import './styles/graph.css';
import './styles/panels.css';
import './styles/transcript.css';
import './styles/views.css';
import { App } from './app.js';
import { warmUpLayout } from './layout/use-layout.js';

warmUpLayout();
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
