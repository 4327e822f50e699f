// Runs sandboxed before the page: exposes the contract as `window.shipdeck` and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeOver } from './preload-bridge';

contextBridge.exposeInMainWorld('shipdeck', bridgeOver(ipcRenderer));
