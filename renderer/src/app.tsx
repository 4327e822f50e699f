import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import { api, linkState, onLinkState } from './api';
import type { SocketState } from './socket-bridge';
import { useFleetStatus } from './stores/fleet-status-store';
import { useFleet } from './stores/fleet-store';
import { useIncidents } from './stores/incident-store';
import { useRunList } from './stores/run-list-store';
import { useRun } from './stores/run-store';
import { sections, useSection, type Section } from './stores/section-store';
import { useServices } from './stores/service-store';
import { FleetView } from './fleet/fleet-view';
import { HistoryView } from './history/history-view';
import { IncidentLauncher } from './incidents/incident-launcher';
import { IncidentSection } from './incidents/incident-section';
import { RunsView } from './runs/runs-view';
import { ServicesView } from './services/services-view';
import { SettingsView } from './settings/settings-view';
import { useTheme } from './common/theme';

/** The cockpit's frame: navigation on the left, the open section beside it. */
export function App() {
  const section = useSection((s) => s.section);
  const setSection = useSection((s) => s.open);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [link, setLink] = useState<SocketState>(linkState);
  const load = useFleet((s) => s.load);
  const loadStatus = useFleetStatus((s) => s.load);
  const loadServices = useServices((s) => s.load);
  const loadRuns = useRunList((s) => s.load);
  useTheme();

  useEffect(() => {
    void load();
    void loadStatus();
    void loadServices();
    void loadRuns();
    api.getAppInfo({}).then(setInfo, () => {});
    return onLinkState((state) => {
      setLink(state);
      if (state === 'open') {
        void load();
        void loadStatus();
        void loadServices();
        void loadRuns();
        // Events sent while the link was down are lost: read the open run afresh.
        void useRun.getState().reload();
      }
    });
  }, [load, loadStatus, loadServices, loadRuns]);

  useEffect(() => {
    // Alt+1 to Alt+6 switch sections from anywhere.
    const onKey = (event: KeyboardEvent) => {
      const target = sections.find((s) => event.altKey && event.key === s.key);
      if (target) {
        event.preventDefault();
        setSection(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setSection]);

  const open = (target: Section) => {
    // A section again, from inside it: back to its overview.
    if (target === 'fleet' && section === 'fleet') useFleet.getState().select(null);
    if ((target === 'runs' || target === 'history') && section === target) useRun.getState().close();
    if (target === 'incidents' && section === 'incidents') useIncidents.getState().close();
    setSection(target);
  };

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <h1 className="brand">Shipdeck</h1>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <button
                className={section === s.id ? 'nav active' : 'nav'}
                aria-current={section === s.id ? 'page' : undefined}
                onClick={() => open(s.id)}
                title={`Alt+${s.key}`}
              >
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <IncidentLauncher />
        <footer className="sidebar-foot">
          {info ? `${info.version} · ${info.host === 'electron' ? 'desktop' : 'browser host'}` : ''}
        </footer>
      </nav>
      <main className="content">
        {link === 'signed-out' ? (
          <div className="banner warn" role="alert">
            This tab is not signed in to the Shipdeck browser host. Each sign-in link works once: press Enter in the
            terminal where <code>shipdeck serve</code> runs, then open the new link it prints.
          </div>
        ) : (
          <>
            {link !== 'open' && (
              <div className="banner warn" role="status">
                {link === 'connecting'
                  ? 'Connecting to the Shipdeck engine…'
                  : 'Lost the connection to the Shipdeck engine. Reconnecting…'}
              </div>
            )}
            {section === 'fleet' ? (
              <FleetView />
            ) : section === 'services' ? (
              <ServicesView />
            ) : section === 'runs' ? (
              <RunsView />
            ) : section === 'history' ? (
              <HistoryView />
            ) : section === 'incidents' ? (
              <IncidentSection />
            ) : (
              <SettingsView info={info} />
            )}
          </>
        )}
      </main>
    </div>
  );
}
