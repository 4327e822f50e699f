import { useEffect } from 'react';
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';

const key = 'shipdeck.theme';

/** The chosen theme; a display preference, so it lives in the page's own storage. */
export const useThemeChoice = create<{ choice: ThemeChoice; choose(choice: ThemeChoice): void }>((set) => ({
  choice: (localStorage.getItem(key) as ThemeChoice | null) ?? 'system',
  choose(choice) {
    localStorage.setItem(key, choice);
    set({ choice });
  },
}));

/** Apply the chosen theme to the document. */
export function useTheme(): void {
  const choice = useThemeChoice((s) => s.choice);
  useEffect(() => {
    if (choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
  }, [choice]);
}
