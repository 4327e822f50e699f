import { create } from 'zustand';
import type { Server } from '../../../shared/server';

export interface FleetFilter {
  /** Matches name, host, user, environment and labels, case-insensitively. */
  readonly text: string;
  /** null: every environment. */
  readonly environment: string | null;
  /** null: any label. */
  readonly label: string | null;
}

interface FleetFilterState extends FleetFilter {
  /** The filter field should take the focus (the `/` key asked for it). */
  readonly wantsFocus: boolean;
  setText(text: string): void;
  setEnvironment(environment: string | null): void;
  setLabel(label: string | null): void;
  clear(): void;
  requestFocus(): void;
  focused(): void;
}

/** Which servers the fleet overview and list show. */
export const useFleetFilter = create<FleetFilterState>((set) => ({
  text: '',
  environment: null,
  label: null,
  wantsFocus: false,
  setText: (text) => set({ text }),
  setEnvironment: (environment) => set({ environment }),
  setLabel: (label) => set({ label }),
  clear: () => set({ text: '', environment: null, label: null }),
  requestFocus: () => set({ wantsFocus: true }),
  focused: () => set({ wantsFocus: false }),
}));

/** Does this server pass the filter? */
export function matchesFilter(server: Server, filter: FleetFilter): boolean {
  if (filter.environment !== null && server.environment !== filter.environment) return false;
  if (filter.label !== null && !server.labels.includes(filter.label)) return false;
  const words = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [server.name, server.host, server.user, server.environment, ...server.labels]
    .join(' ')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** True when the filter hides nothing. */
export function isFilterEmpty(filter: FleetFilter): boolean {
  return filter.text.trim() === '' && filter.environment === null && filter.label === null;
}
