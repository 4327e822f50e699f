// Writing lab.json: only the lab scripts and control.ts do it. The password
// never goes into lab.json; readLabState takes it from sdlab.password.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { labStateFile, NOT_UP_MESSAGE, type LabSdlab, type LabState } from './lab-state.js';

export type StoredLabState = Omit<LabState, 'sdlab'> & { sdlab: Omit<LabSdlab, 'password'> };

/** Writes lab.json atomically (readers never see half a file), without the password. */
export function writeLabStateFile(dir: string, state: LabState | StoredLabState): void {
  const { password: _password, ...sdlab } = state.sdlab as LabSdlab;
  const stored: StoredLabState = { ...state, sdlab };
  const file = labStateFile(dir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(stored, null, 2) + '\n');
  renameSync(temp, file);
}

export function readStoredState(dir: string): StoredLabState {
  const file = labStateFile(dir);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredLabState;
  } catch (err) {
    throw new Error(`${NOT_UP_MESSAGE} (${file}: ${(err as Error).message})`);
  }
}

/** Read, change, write lab.json. */
export function updateLabStateFile(dir: string, change: (state: StoredLabState) => void): StoredLabState {
  const state = readStoredState(dir);
  change(state);
  writeLabStateFile(dir, state);
  return state;
}
