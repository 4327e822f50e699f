import { useIncidents } from '../stores/incident-store';
import { IncidentOpenDialog } from './incident-open-dialog';
import { useShiftShortcut } from '../common/use-shift-shortcut';

/** The Open incident button, always in the nav, with Shift+I from anywhere but a field or a dialog. */
export function IncidentLauncher() {
  const starting = useIncidents((s) => s.starting);
  const { startOpening, cancelOpening } = useIncidents.getState();

  useShiftShortcut('I', () => startOpening());

  return (
    <>
      <button
        className="danger incident-launch"
        onClick={() => startOpening()}
        title="Shift+I"
        aria-keyshortcuts="Shift+I"
      >
        Open incident
      </button>
      {starting && <IncidentOpenDialog start={starting} onClose={cancelOpening} />}
    </>
  );
}
