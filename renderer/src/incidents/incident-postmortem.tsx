import { useState } from 'react';
import { postmortemDraft, type Incident } from '../../../shared/incident';
import { api } from '../api';
import { useIncidents } from '../stores/incident-store';
import { ProblemNotice } from '../common/problem-notice';
import { useAction } from '../common/use-action';

/** Save text as a file through the browser's download, as the log viewer exports. */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * POSTMORTEM: the template prefilled from the real timeline (it follows the
 * incident until saved or edited), kept with the incident, and exported with
 * the whole record as Markdown. It stays editable once resolved.
 */
export function IncidentPostmortem({ incident, by }: { incident: Incident; by: string }) {
  const [edited, setEdited] = useState<string | null>(null);
  const { doing: busy, problem, run } = useAction<'saving' | 'exporting'>();
  const [savedNow, setSavedNow] = useState(false);
  const text = edited ?? incident.postmortem ?? postmortemDraft(incident);
  const unsaved = edited !== null && edited !== incident.postmortem;

  const save = async () => {
    useIncidents.getState().receive(await api.savePostmortem({ id: incident.id, text, by }));
    setEdited(null);
    setSavedNow(true);
  };

  const onSave = () => run(save, 'saving');

  // The export is what is on screen: unsaved edits are saved first, and a save that fails exports nothing.
  const onExport = () =>
    run(async () => {
      if (unsaved) await save();
      const { fileName, text: markdown } = await api.exportIncident({ id: incident.id });
      download(fileName, markdown);
    }, 'exporting');

  return (
    <section className="panel incident-panel" aria-label="Postmortem">
      <div className="panel-head">
        <h3>Postmortem</h3>
        <span className="muted small" role="status">
          {unsaved
            ? 'Unsaved changes'
            : incident.postmortem !== undefined
              ? savedNow
                ? 'Saved'
                : 'Saved with the incident'
              : 'A draft from the timeline, not saved yet'}
        </span>
      </div>
      <textarea
        className="postmortem-text"
        aria-label="Postmortem"
        value={text}
        onChange={(e) => {
          setEdited(e.target.value);
          setSavedNow(false);
        }}
        rows={22}
        spellCheck
      />
      <div className="actions">
        <button
          className="primary"
          onClick={() => void onSave()}
          disabled={busy !== null || !by || (!unsaved && incident.postmortem !== undefined)}
        >
          {busy === 'saving' ? 'Saving…' : 'Save'}
        </button>
        <button onClick={() => void onExport()} disabled={busy !== null || (unsaved && !by)}>
          {busy === 'exporting' ? 'Exporting…' : 'Export Markdown'}
        </button>
        {incident.postmortem === undefined && edited === null && (
          <span className="muted small">Saved once, it stops following the timeline.</span>
        )}
      </div>
      {problem && <ProblemNotice problem={problem} title="The postmortem was not saved or exported" />}
    </section>
  );
}
