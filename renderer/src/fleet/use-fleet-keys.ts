import { useEffect } from 'react';
import { useFleetFilter } from '../stores/fleet-filter-store';
import { useFleetStatus } from '../stores/fleet-status-store';
import { useFleet } from '../stores/fleet-store';
import { isTyping } from '../common/is-typing';

/** The Fleet section's keys: `/` filters the fleet, `r` refreshes it; never while typing or in a dialog. */
export function useFleetKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === '/') {
        const fleet = useFleet.getState();
        if (fleet.adding || fleet.editingId) return;
        event.preventDefault();
        fleet.select(null);
        useFleetFilter.getState().requestFocus();
      } else if (event.key === 'r') {
        event.preventDefault();
        if (!useFleetStatus.getState().refreshing) void useFleetStatus.getState().refresh();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
