import { create } from 'zustand';

const key = 'shipdeck.operator';

function stored(): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/**
 * The name of the person at this Shipdeck, as they gave it when they last
 * released: forms that record a name (tick, waive, override, approve, sign
 * off) start with it, and each lets another name be typed for that one act.
 */
export const useOperator = create<{ name: string; remember(name: string): void }>((set) => ({
  name: stored(),
  remember(name) {
    const trimmed = name.trim();
    if (!trimmed) return;
    try {
      localStorage.setItem(key, trimmed);
    } catch {
      // Private windows may refuse storage: the name still holds for this page.
    }
    set({ name: trimmed });
  },
}));
