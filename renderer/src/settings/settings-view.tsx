import type { AppInfo } from '../../../shared/contract';
import { AuditPanel } from './audit-panel';
import { FleetSettingsForm } from './fleet-settings-form';
import { FreezeWindowsForm } from './freeze-windows-form';
import { LogSettingsForm } from './log-settings-form';
import { useThemeChoice, type ThemeChoice } from '../common/theme';

/** Where Shipdeck keeps its data, how it looks, how often it reads the fleet, how much of each log it keeps, and when environments are frozen. */
export function SettingsView({ info }: { info: AppInfo | null }) {
  const { choice, choose } = useThemeChoice();
  return (
    <section className="page">
      <h2>Settings</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd>{info?.version ?? '…'}</dd>
        <dt>Running as</dt>
        <dd>{info ? (info.host === 'electron' ? 'Desktop app' : 'Browser host (shipdeck serve)') : '…'}</dd>
        <dt>Data folder</dt>
        <dd>
          <code>{info?.dataDir ?? '…'}</code>
        </dd>
      </dl>
      <fieldset className="theme-choice">
        <legend>Theme</legend>
        {(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => (
          <label key={t}>
            <input type="radio" name="theme" value={t} checked={choice === t} onChange={() => choose(t)} />{' '}
            {t[0]!.toUpperCase() + t.slice(1)}
          </label>
        ))}
      </fieldset>
      <FleetSettingsForm />
      <LogSettingsForm />
      <AuditPanel />
      <FreezeWindowsForm />
    </section>
  );
}
