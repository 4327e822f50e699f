import { useEffect, useEffectEvent } from 'react';
import { isTyping } from './is-typing';

/**
 * A Shift+letter shortcut that works from anywhere in the window but a field
 * (where Shift+letter types a capital) or an open dialog (which owns the keys).
 */
export function useShiftShortcut(key: string, action: () => void): void {
  const act = useEffectEvent(action);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== key || !event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      act();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key]);
}
