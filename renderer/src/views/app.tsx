import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/contract';
import { api, onLinkState } from '../api';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { FleetView } from './fleet-view';
import { SettingsView } from './settings-view';
import { useTheme } from './theme';

type Section = 'fleet' | 'settings';
const sections: { id: Section; label: string; key: string }[] = [
  { id: 'fleet', label: 'Fleet', key: '1' },
  { id: 'settings', label: 'Settings', key: '2' },
];

/** The cockpit's frame: navigation on the left, the open section beside it. */
export function App() {
  const [section, setSection] = useState<Section>('fleet');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [link, setLink] = useState<'connecting' | 'open' | 'closed'>('open');
  const load = useFleet((s) => s.load);
  const loadStatus = useFleetStatus((s) => s.load);
  useTheme();

  useEffect(() => {
    void load();
    void loadStatus();
    api.getAppInfo({}).then(setInfo, () => {});
    return onLinkState((state) => {
      setLink(state);
      if (state === 'open') {
        void load();
        void loadStatus();
      }
    });
  }, [load, loadStatus]);

  useEffect(() => {
    // Alt+1, Alt+2 switch sections from anywhere.
    const onKey = (event: KeyboardEvent) => {
      const target = sections.find((s) => event.altKey && event.key === s.key);
      if (target) {
        event.preventDefault();
        setSection(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const open = (target: Section) => {
    // Fleet again, from inside the Fleet section: back to the overview.
    if (target === 'fleet' && section === 'fleet') useFleet.getState().select(null);
    setSection(target);
  };

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Sections">
        <h1 className="brand">Shipdeck</h1>
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <button className={section === s.id ? 'nav active' : 'nav'} aria-current={section === s.id ? 'page' : undefined} onClick={() => open(s.id)} title={`Alt+${s.key}`}>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <footer className="sidebar-foot">{info ? `${info.version} · ${info.host === 'electron' ? 'desktop' : 'browser host'}` : ''}</footer>
      </nav>
      <main className="content">
        {link !== 'open' && (
          <div className="banner warn" role="status">
            {link === 'connecting' ? 'Connecting to the Shipdeck engine…' : 'Lost the connection to the Shipdeck engine. Reconnecting…'}
          </div>
        )}
        {section === 'fleet' ? <FleetView /> : <SettingsView info={info} />}
      </main>
    </div>
  );
}
