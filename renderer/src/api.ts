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

/** Follow the link to the engine (always open in Electron). */
export function onLinkState(listener: (state: SocketState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** The one way the renderer reaches the system: the same api over either transport. */
export const api = apiFromBridge(window.shipdeck ?? socketBridge(window.location, (state) => stateListeners.forEach((l) => l(state))));
