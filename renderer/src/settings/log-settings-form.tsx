import { useState, type FormEvent } from 'react';
import { logSettingsLimits } from '../../../shared/log';
import { useLogSettings } from '../stores/log-settings-store';
import { ProblemNotice } from '../common/problem-notice';
import { useSettingsForm } from './use-settings-form';
import { SaveActions } from './save-actions';

/** How many lines each log keeps, checked here and by the engine. */
export function LogSettingsForm() {
  const [lines, setLines] = useState('');
  const form = useSettingsForm(useLogSettings, (settings) => setLines(String(settings.capLines)));
  const { settings, loadProblem, problem, saved, busy } = form;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.edited();
    const capLines = Number(lines.replace(/[\s,_]/g, ''));
    const { minCapLines, maxCapLines } = logSettingsLimits;
    if (lines.trim() === '' || !Number.isInteger(capLines) || capLines < minCapLines || capLines > maxCapLines) {
      form.refuse({
        code: 'bad-request',
        message: `Lines kept per log must be a whole number from ${minCapLines.toLocaleString('en-US')} to ${maxCapLines.toLocaleString('en-US')}`,
        where: 'Lines kept per log',
        hint: 'Type 100000 to keep the last hundred thousand lines of each log.',
      });
      return;
    }
    await form.save({ capLines });
  };

  return (
    <form className="form settings-form" onSubmit={submit} aria-label="Logs">
      <h3>Logs</h3>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not read the log settings" />}
      <label>
        Lines kept per log
        <input
          type="text"
          inputMode="numeric"
          value={lines}
          onChange={(e) => {
            setLines(e.target.value);
            form.edited();
          }}
          aria-invalid={problem ? true : undefined}
          disabled={!settings}
        />
      </label>
      <p className="muted small">
        Each log keeps its newest lines, in the engine and here; older ones are dropped and counted. Logs opened from
        now on keep the new number.
      </p>
      {problem && <ProblemNotice problem={problem} title="The log settings were not saved" />}
      <SaveActions busy={busy} ready={settings !== null} saved={saved} />
    </form>
  );
}
