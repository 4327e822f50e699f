import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { type Problem, problemOf } from '../../../shared/problem';
import { specSizeIssue, type SpecIssue } from '../../../shared/service-spec';
import { api } from '../api';
import { useServices } from '../stores/service-store';
import { ProblemNotice } from '../common/problem-notice';

/** How long typing pauses before the spec is checked. */
const validateAfterMs = 300;

/**
 * A service's YAML, checked as it is typed: each issue names its line, column
 * and field, and a click on it takes the caret there. Saving is refused while
 * the engine finds issues.
 */
export function SpecEditor({ initialText, isNew }: { initialText: string; isNew: boolean }) {
  const save = useServices((s) => s.save);
  const [text, setText] = useState(initialText);
  const [issues, setIssues] = useState<readonly SpecIssue[]>([]);
  const [checking, setChecking] = useState(false);
  const [checkProblem, setCheckProblem] = useState<Problem | null>(null);
  const [saveProblem, setSaveProblem] = useState<Problem | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedText, setSavedText] = useState(isNew ? null : initialText);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const editorId = useId();

  useEffect(() => {
    // The newest text wins: an answer for older text is dropped.
    let current = true;
    // A spec over the limit is refused here, with the limit, before it is sent anywhere.
    const tooLarge = specSizeIssue(text);
    if (tooLarge) {
      setIssues([tooLarge]);
      setCheckProblem(null);
      setChecking(false);
      return;
    }
    setChecking(true);
    const timer = setTimeout(() => {
      api.validateService({ text }).then(
        (result) => {
          if (!current) return;
          setIssues(result.issues);
          setCheckProblem(null);
          setChecking(false);
        },
        (error: unknown) => {
          if (!current) return;
          setCheckProblem(problemOf(error));
          setChecking(false);
        },
      );
    }, validateAfterMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [text]);

  const lineCount = text.split('\n').length;
  const issueLines = new Set(issues.map((i) => i.line));
  const dirty = text !== savedText;

  const goTo = (issue: SpecIssue) => {
    const box = area.current;
    if (!box) return;
    const lines = text.split('\n');
    const line = Math.min(Math.max(issue.line, 1), lines.length);
    const start = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0);
    const offset = start + Math.min(Math.max(issue.column - 1, 0), lines[line - 1]!.length);
    box.focus();
    box.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(box).lineHeight) || 20;
    box.scrollTop = Math.max(0, (line - 1) * lineHeight - box.clientHeight / 3);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tooLarge = specSizeIssue(text);
    if (tooLarge) {
      setIssues([tooLarge]);
      return;
    }
    setSaving(true);
    const result = await save(text);
    setSaving(false);
    setSaveProblem(result.problem ?? null);
    if (result.entry) setSavedText(text);
    else {
      // Show the issues the save was refused for without waiting for the next pause.
      api.validateService({ text }).then(
        (r) => setIssues(r.issues),
        () => {},
      );
    }
  };

  return (
    <form className="spec-form" onSubmit={submit} aria-label="Service spec">
      <div className="spec-head">
        <label htmlFor={editorId} className="spec-label">
          Spec <span className="muted small">(YAML)</span>
        </label>
        <span className="muted small" role="status">
          {checking
            ? 'Checking…'
            : checkProblem
              ? ''
              : issues.length === 0
                ? 'No problems'
                : `${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}`}
          {dirty && !isNew ? ' · unsaved changes' : ''}
        </span>
      </div>
      <div className="editor">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={issueLines.has(i + 1) ? 'gutter-line has-issue' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={editorId}
          ref={area}
          className="code-area"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          wrap="off"
          rows={22}
          aria-invalid={issues.length > 0 || undefined}
          aria-describedby={issues.length > 0 ? `${editorId}-issues` : undefined}
          autoFocus={isNew}
        />
      </div>
      {checkProblem && <ProblemNotice problem={checkProblem} title="The spec could not be checked" />}
      {issues.length > 0 && (
        <ol className="issues" id={`${editorId}-issues`} aria-label="Problems in the spec">
          {issues.map((issue, i) => (
            <li key={i}>
              <button type="button" className="issue" onClick={() => goTo(issue)} title="Go to this line">
                <code>
                  {issue.line}:{issue.column}
                </code>{' '}
                {issue.field && <strong>{issue.field}:</strong>} {issue.message}
              </button>
            </li>
          ))}
        </ol>
      )}
      {saveProblem && <ProblemNotice problem={saveProblem} title="The service was not saved" />}
      <div className="actions">
        <button type="submit" className="primary" disabled={saving || (!dirty && !isNew)}>
          {saving ? 'Saving…' : isNew ? 'Save service' : 'Save changes'}
        </button>
        {isNew && (
          <button type="button" onClick={() => useServices.getState().select(null)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
