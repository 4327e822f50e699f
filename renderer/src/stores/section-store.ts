import { create } from 'zustand';

export type Section = 'fleet' | 'services' | 'runs' | 'history' | 'incidents' | 'settings';

/** The cockpit's sections in the order of the left nav; Alt+1… opens them. */
export const sections: readonly { readonly id: Section; readonly label: string; readonly key: string }[] = [
  { id: 'fleet', label: 'Fleet', key: '1' },
  { id: 'services', label: 'Services', key: '2' },
  { id: 'runs', label: 'Runs', key: '3' },
  { id: 'history', label: 'History', key: '4' },
  { id: 'incidents', label: 'Incidents', key: '5' },
  { id: 'settings', label: 'Settings', key: '6' },
];

/** Which section is open, so that an action in one (a release started) can open another (its run). */
export const useSection = create<{ section: Section; open(section: Section): void }>((set) => ({
  section: 'fleet',
  open: (section) => set({ section }),
}));
