import { useState, type FormEvent } from 'react';
import {
  changeClasses,
  classLabels,
  sections,
  sectionTitles,
  type ChangeClass,
  type ChangeInfo,
  type Checklist,
} from '../../../shared/checklist';
import { gateTitles } from '../../../shared/gates';
import { phases, type PlannedStep, type RunPreview, type ServiceEntry } from '../../../shared/run';
import type { ServiceSpec } from '../../../shared/service-spec';
import { api } from '../api';
import { useOperator } from '../stores/operator-store';
import { askToNotify } from '../stores/run-notifications';
import { openStartedRun } from '../stores/run-store';
import { useSection } from '../stores/section-store';
import { disciplineWords } from '../checklists/discipline-words';
import { Dialog } from '../common/dialog';
import { formatStarted } from '../common/format';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';
import { TableHead } from '../common/table-head';

/** An override's reason must say something: three characters at least. */
const minReason = 3;

/**
 * Release a service: choose where and which version, read the plan host by
 * host and step by step (nothing has changed yet), then run exactly that plan.
 */
export function ReleaseDialog({
  entry,
  spec,
  onClose,
}: {
  entry: ServiceEntry;
  spec: ServiceSpec;
  onClose: () => void;
}) {
  const environments = Object.keys(spec.servers);
  const [environment, setEnvironment] = useState(environments[0] ?? '');
  const [version, setVersion] = useState('');
  const [notes, setNotes] = useState('');
  const [changeClass, setChangeClass] = useState<ChangeClass | ''>('');
  const [impact, setImpact] = useState('');
  const [ci, setCi] = useState('');
  const [database, setDatabase] = useState(false);
  const operator = useOperator((s) => s.name);
  const [by, setBy] = useState(operator);
  // One reason per gate the preview met, by its position in the preview's list.
  const [reasons, setReasons] = useState<readonly string[]>([]);
  const [preview, setPreview] = useState<RunPreview | null>(null);
  const { doing: busy, problem, setProblem, run: act } = useAction<'planning' | 'starting'>();

  // A plan is for the environment, version and change it was made with: changing any drops it.
  const change = (apply: () => void) => {
    apply();
    setPreview(null);
    setReasons([]);
    setProblem(null);
  };

  const changeInfo = (): ChangeInfo => ({
    ...(changeClass ? { class: changeClass } : {}),
    ...(impact.trim() ? { impact: impact.trim() } : {}),
    ...(ci.trim() ? { ci: ci.trim() } : {}),
    database,
  });
  const setReason = (index: number, text: string) =>
    setReasons((r) => {
      const next = [...r];
      next[index] = text;
      return next;
    });
  const gatesReasoned = !preview || preview.gates.every((_, i) => (reasons[i] ?? '').trim().length >= minReason);

  const plan = async (event: FormEvent) => {
    event.preventDefault();
    setPreview(null);
    setReasons([]);
    await act(
      async () =>
        setPreview(
          await api.planRelease({ service: entry.name, environment, version: version.trim(), change: changeInfo() }),
        ),
      'planning',
    );
  };

  const run = async () => {
    if (!preview || !gatesReasoned) return;
    askToNotify();
    useOperator.getState().remember(by);
    const overrides = preview.gates.map((g, i) => ({ gate: g.gate, reason: (reasons[i] ?? '').trim() }));
    await act(async () => {
      const started = await api.startRun({
        previewId: preview.previewId,
        notes: notes.trim(),
        ...(by.trim() ? { by: by.trim() } : {}),
        ...(overrides.length > 0 ? { overrides } : {}),
      });
      onClose();
      useSection.getState().open('runs');
      openStartedRun(started.id);
    }, 'starting');
  };

  return (
    <Dialog label={`Release ${entry.name}`} onClose={onClose} wide>
      <form className="release-form" onSubmit={plan} aria-label="What to release">
        <label>
          Environment
          <select value={environment} onChange={(e) => change(() => setEnvironment(e.target.value))}>
            {environments.map((env) => (
              <option key={env} value={env}>
                {env} ({spec.servers[env]!.join(', ')})
              </option>
            ))}
          </select>
        </label>
        <label>
          Version
          <input
            value={version}
            onChange={(e) => change(() => setVersion(e.target.value))}
            placeholder="v2"
            required
            autoFocus
            spellCheck={false}
          />
        </label>
        <label>
          Change class
          <select
            value={changeClass}
            onChange={(e) => change(() => setChangeClass(e.target.value as ChangeClass | ''))}
          >
            <option value="">Not classified (treated as high)</option>
            {changeClasses.map((c) => (
              <option key={c} value={c}>
                {classLabels[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Business impact
          <input
            value={impact}
            onChange={(e) => change(() => setImpact(e.target.value))}
            placeholder="Who or what it affects"
            title="Left empty, the impact is unknown: a stop gate"
          />
        </label>
        <label>
          CI status
          <input
            value={ci}
            onChange={(e) => change(() => setCi(e.target.value))}
            placeholder="green, a run link…"
            spellCheck={false}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={database} onChange={(e) => change(() => setDatabase(e.target.checked))} />{' '}
          This release changes the database
        </label>
        <label>
          Your name
          <input
            value={by}
            onChange={(e) => setBy(e.target.value)}
            placeholder="Recorded with the run"
            autoComplete="name"
          />
        </label>
        <button type="submit" disabled={busy !== null || !version.trim()}>
          {busy === 'planning' ? 'Reading the hosts…' : 'Preview plan'}
        </button>
      </form>
      <p className="muted small">
        Shipdeck reads each host (what runs, which port is free, who holds the lock) and shows every step it would take;
        nothing changes until you run the plan. The saved spec is used.
      </p>
      {problem && <ProblemNotice problem={problem} title={preview ? 'The run did not start' : 'No plan'} />}
      {preview && <ChangePreview preview={preview} reasons={reasons} onReason={setReason} />}
      {preview && <PlanPreview preview={preview} image={spec.image} />}
      {preview && (
        <label className="notes">
          Notes <span className="muted small">(kept with the run)</span>
          <textarea
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            rows={2}
            placeholder="What this release changes, the ticket…"
          />
        </label>
      )}
      <div className="actions dialog-actions">
        <button
          className="primary"
          onClick={() => void run()}
          disabled={!preview || busy !== null || !gatesReasoned}
          title={gatesReasoned ? undefined : 'Give each stop gate a reason first'}
        >
          {busy === 'starting' ? 'Starting…' : 'Run this plan'}
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </Dialog>
  );
}

/** What the change's class asks for, where it is promoted from, the gates already met (each needing a reason), and the checklist to come. */
function ChangePreview({
  preview,
  reasons,
  onReason,
}: {
  preview: RunPreview;
  reasons: readonly string[];
  onReason: (index: number, text: string) => void;
}) {
  const { discipline, promotedFrom } = preview;
  return (
    <section className="change-preview" aria-label="Change">
      <p className="change-class">
        <span className={`class-tag class-${discipline.class}`}>
          {discipline.classified ? classLabels[discipline.class] : 'Not classified: treated as high'}
        </span>{' '}
        <span data-testid="discipline">{disciplineWords(discipline)}</span>
      </p>
      {promotedFrom && (
        <p className="banner ok small" data-testid="promotion">
          Promoted from staging run <code>{promotedFrom.runId}</code> of {promotedFrom.who}, passed{' '}
          {formatStarted(promotedFrom.endedAt, Date.now())}.
        </p>
      )}
      {preview.gates.length > 0 && (
        <fieldset className="group gates-preview">
          <legend>Stop gates met ({preview.gates.length}): the run starts past them only with a reason each</legend>
          {preview.gates.map((g, i) => (
            <label key={`${g.gate}-${i}`} className="gate-reason">
              <span>
                <strong>{gateTitles[g.gate]}</strong>: {g.detail}
              </span>
              <input
                value={reasons[i] ?? ''}
                onChange={(e) => onReason(i, e.target.value)}
                aria-label={`Override with a reason: ${gateTitles[g.gate]}`}
                placeholder="Override with a reason"
                aria-invalid={
                  (reasons[i] ?? '').trim().length > 0 && (reasons[i] ?? '').trim().length < minReason
                    ? true
                    : undefined
                }
              />
            </label>
          ))}
        </fieldset>
      )}
      <ChecklistToCome checklist={preview.checklist} />
    </section>
  );
}

/** The run's checklist before anything is ticked, section by section, folded. */
function ChecklistToCome({ checklist }: { checklist: Checklist }) {
  const required = checklist.items.filter((i) => i.required).length;
  return (
    <details className="checklist-to-come">
      <summary>
        Checklist: {checklist.items.length} items, {required} required
      </summary>
      {sections.map((section) => {
        const items = checklist.items.filter((i) => i.section === section);
        if (items.length === 0) return null;
        return (
          <div key={section} role="group" aria-label={sectionTitles[section]}>
            <h4>
              {sectionTitles[section]} <span className="muted small">({items[0]!.phase})</span>
            </h4>
            <ul>
              {items.map((item) => (
                <li key={item.id}>
                  {item.text}{' '}
                  <span className="muted small">
                    {item.kind === 'auto' ? 'checked by Shipdeck' : 'by hand'}
                    {item.required ? ' · required' : ''}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </details>
  );
}

/** The plan as it will run: each host's move, then every step by phase with its exact line. */
function PlanPreview({ preview, image }: { preview: RunPreview; image: string }) {
  const byPhase = phases
    .map((phase) => ({ phase, steps: preview.steps.filter((s) => s.phase === phase) }))
    .filter((g) => g.steps.length > 0);
  return (
    <section className="plan" aria-label="Plan">
      <h3>
        {preview.service}{' '}
        <code>
          {image}:{preview.version}
        </code>{' '}
        to <span className={`env env-${preview.environment}`}>{preview.environment}</span>
      </h3>
      <table className="table" aria-label="Hosts in the plan">
        <TableHead columns={['Server', 'Live now', '', 'New release', 'Port']} />
        <tbody>
          {preview.hosts.map((h) => (
            <tr key={h.server}>
              <td>
                <strong>{h.server}</strong>
              </td>
              <td>{h.live ?? <span className="muted">nothing yet</span>}</td>
              <td aria-hidden="true">→</td>
              <td>
                <strong>{preview.version}</strong>
              </td>
              <td className="num">{h.port}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        PREPARE is done: the hosts were read to make this plan. {preview.steps.length} steps follow, in this order.
      </p>
      {byPhase.map(({ phase, steps }) => (
        <section key={phase} className="plan-phase" aria-label={`${phase} steps`}>
          <h4>{phase}</h4>
          <ol className="plan-steps">
            {steps.map((step) => (
              <PlanStep key={step.id} step={step} />
            ))}
          </ol>
        </section>
      ))}
    </section>
  );
}

function PlanStep({ step }: { step: PlannedStep }) {
  return (
    <li>
      <div className="step-purpose">
        {step.purpose} <span className="host-tag">{step.host}</span>
      </div>
      <code className="step-line">{step.line}</code>
    </li>
  );
}
