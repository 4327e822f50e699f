/** A settings form's Save button, with "Saved" once the form's value is stored. */
export function SaveActions({ busy, ready, saved }: { busy: boolean; ready: boolean; saved: boolean }) {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={busy || !ready}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      {saved && (
        <span className="status ok" role="status">
          Saved
        </span>
      )}
    </div>
  );
}
