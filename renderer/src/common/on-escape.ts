import type { KeyboardEvent } from 'react';

/** A keydown handler that runs `cancel` on Escape, for inline confirmations and panes. */
export function onEscape(cancel: () => void): (event: KeyboardEvent<HTMLElement>) => void {
  return (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    cancel();
  };
}
