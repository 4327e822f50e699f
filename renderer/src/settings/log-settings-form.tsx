import { useEffect, useState, type FormEvent } from 'react';
import { logSettingsLimits } from '../../../shared/log';
import type { Problem } from '../../../shared/problem';
import { useLogSettings } from '../stores/log-settings-store';
import { ProblemNotice } from '../common/problem-notice';

/** How many lines each log keeps, checked here and by the engine. */
export function LogSettingsForm() {
  const { settings, loadProblem, load, save } = useLogSettings();
  const [lines, setLines] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (settings) setLines(String(settings.capLines));
  }, [settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const capLines = Number(lines.replace(/[\s,_]/g, ''));
    const { minCapLines, maxCapLines } = logSettingsLimits;
    if (lines.trim() === '' || !Number.isInteger(capLines) || capLines < minCapLines || capLines > maxCapLines) {
      setProblem({ code: 'bad-request', message: `Lines kept per log must be a whole number from ${minCapLines.toLocaleString('en-US')} to ${maxCapLines.toLocaleString('en-US')}`, where: 'Lines kept per log', hint: 'Type 100000 to keep the last hundred thousand lines of each log.' });
      return;
    }
    setBusy(true);
    const failed = await save({ capLines });
    setBusy(false);
    setProblem(failed);
    setSaved(failed === null);
  };

  return (
    <form className="form settings-form" onSubmit={submit} aria-label="Logs">
      <h3>Logs</h3>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not read the log settings" />}
      <label>Lines kept per log
        <input type="text" inputMode="numeric" value={lines} onChange={(e) => { setLines(e.target.value); setSaved(false); }} aria-invalid={problem ? true : undefined} disabled={!settings} />
      </label>
      <p className="muted small">Each log keeps its newest lines, in the engine and here; older ones are dropped and counted. Logs opened from now on keep the new number.</p>
      {problem && <ProblemNotice problem={problem} title="The log settings were not saved" />}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !settings}>{busy ? 'Saving…' : 'Save'}</button>
        {saved && <span className="status ok" role="status">Saved</span>}
      </div>
    </form>
  );
}
