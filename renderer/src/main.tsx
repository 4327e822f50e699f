import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './stores/run-notifications';
import { App } from './app';
// The stylesheets in cascade order: where two rules of equal weight meet, the later one wins.
import './common/base.css';
import './common/widgets.css';
import './app.css';
import './fleet/fleet.css';
import './settings/settings.css';
import './servers/servers.css';
import './report/report.css';
import './services/services.css';
import './runs/runs.css';
import './logs/logs.css';
import './verify/verify.css';
import './checklists/checklists.css';
import './history/history.css';
import './incidents/incidents.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
