import { useEffect } from 'react';
import { useIncidents } from '../stores/incident-store';
import { IncidentOpenDialog } from './incident-open-dialog';
import { isTyping } from '../common/is-typing';

/** The Open incident button, always in the nav, with Shift+I from anywhere but a field or a dialog. */
export function IncidentLauncher() {
  const starting = useIncidents((s) => s.starting);
  const { startOpening, cancelOpening } = useIncidents.getState();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        event.key !== 'I' ||
        !event.shiftKey ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        isTyping(event.target)
      )
        return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      useIncidents.getState().startOpening();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

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
