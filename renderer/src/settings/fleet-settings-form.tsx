import { useState, type FormEvent } from 'react';
import { fleetSettingsLimits } from '../../../shared/fleet-status';
import { useFleetSettings } from '../stores/fleet-settings-store';
import { ProblemNotice } from '../common/problem-notice';
import { useSettingsForm } from './use-settings-form';
import { SaveActions } from './save-actions';

/** Fleet refresh interval and parallelism, checked here and by the engine. */
export function FleetSettingsForm() {
  const [seconds, setSeconds] = useState('');
  const [parallelism, setParallelism] = useState('');
  const form = useSettingsForm(useFleetSettings, (settings) => {
    setSeconds(String(settings.refreshMs / 1000));
    setParallelism(String(settings.parallelism));
  });
  const { settings, loadProblem, problem, saved, busy } = form;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    form.edited();
    const refreshSeconds = Number(seconds);
    const hosts = Number(parallelism);
    const { minRefreshMs, maxRefreshMs, minParallelism, maxParallelism } = fleetSettingsLimits;
    const refreshMs = Math.round(refreshSeconds * 1000);
    if (
      seconds.trim() === '' ||
      !Number.isFinite(refreshSeconds) ||
      (refreshMs !== 0 && (refreshMs < minRefreshMs || refreshMs > maxRefreshMs))
    ) {
      form.refuse({
        code: 'bad-request',
        message: `The refresh interval must be 0 (paused) or ${minRefreshMs / 1000} to ${maxRefreshMs / 1000} seconds`,
        where: 'Refresh every',
        hint: 'Type 0 to pause the refresh, or 5 for every five seconds.',
      });
      return;
    }
    if (!Number.isInteger(hosts) || hosts < minParallelism || hosts > maxParallelism) {
      form.refuse({
        code: 'bad-request',
        message: `Hosts at once must be a whole number from ${minParallelism} to ${maxParallelism}`,
        where: 'Hosts at once',
        hint: 'Type 8 to connect to eight hosts at a time.',
      });
      return;
    }
    await form.save({ refreshMs, parallelism: hosts });
  };

  const paused = Number(seconds) === 0 && seconds.trim() !== '';

  return (
    <form className="form settings-form" onSubmit={submit} aria-label="Fleet refresh">
      <h3>Fleet refresh</h3>
      {loadProblem && <ProblemNotice problem={loadProblem} title="Could not read the fleet settings" />}
      <label>
        Refresh every (seconds)
        <input
          type="number"
          min={0}
          step="any"
          value={seconds}
          onChange={(e) => {
            setSeconds(e.target.value);
            form.edited();
          }}
          aria-invalid={problem?.where === 'Refresh every' || problem?.where === 'refreshMs' ? true : undefined}
          disabled={!settings}
        />
      </label>
      <p className="muted small">
        {paused
          ? 'Paused: the fleet refreshes only when you ask (Refresh now, or the r key).'
          : '0 pauses the refresh.'}
      </p>
      <label>
        Hosts at once
        <input
          type="number"
          min={1}
          step={1}
          value={parallelism}
          onChange={(e) => {
            setParallelism(e.target.value);
            form.edited();
          }}
          aria-invalid={problem?.where === 'Hosts at once' || problem?.where === 'parallelism' ? true : undefined}
          disabled={!settings}
        />
      </label>
      <p className="muted small">How many servers a refresh reads at the same time.</p>
      {problem && <ProblemNotice problem={problem} title="The fleet settings were not saved" />}
      <SaveActions busy={busy} ready={settings !== null} saved={saved} />
    </form>
  );
}
