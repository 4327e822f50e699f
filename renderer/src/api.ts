import { apiFromBridge } from '../../shared/api';
import type { Bridge } from '../../shared/contract';
import { socketBridge, type SocketState } from './socket-bridge';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in the browser host. */
    readonly shipdeck?: Bridge;
  }
}

const stateListeners = new Set<(state: SocketState) => void>();
let lastState: SocketState = 'open';

/** Follow the link to the engine (always open in Electron). */
export function onLinkState(listener: (state: SocketState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** The link's state now, for a view that starts after it changed. */
export function linkState(): SocketState {
  return lastState;
}

/** The one way the renderer reaches the system: the same api over either transport. */
export const api = apiFromBridge(
  window.shipdeck ??
    socketBridge(window.location, (state) => {
      lastState = state;
      stateListeners.forEach((l) => l(state));
    }),
);
