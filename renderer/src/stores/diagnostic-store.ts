import { create } from 'zustand';
import type { DiagnosticId } from '../../../shared/diagnostics';
import { type Problem, problemOf } from '../../../shared/problem';
import { api } from '../api';

export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** One diagnostic command's run, as it streams in. */
export interface DiagnosticRun {
  readonly runId: string;
  readonly serverId: string;
  readonly commandLine: string;
  readonly chunks: readonly OutputChunk[];
  readonly exit?: {
    readonly exitCode: number | null;
    readonly signal: string | null;
    readonly durationMs: number;
    readonly problem?: Problem;
  };
}

interface DiagnosticState {
  readonly runs: Readonly<Record<string, DiagnosticRun>>;
  /** Newest last, per server. */
  readonly order: Readonly<Record<string, readonly string[]>>;
  readonly startProblem: Readonly<Record<string, Problem | undefined>>;
  run(serverId: string, diagnostic: DiagnosticId): Promise<void>;
  clear(serverId: string): void;
}

/** Output that arrives before its run is known is kept here until the reply comes. */
const early = new Map<string, { chunks: OutputChunk[]; exit?: DiagnosticRun['exit'] }>();

export const useDiagnostics = create<DiagnosticState>((set, get) => ({
  runs: {},
  order: {},
  startProblem: {},
  async run(serverId, diagnostic) {
    set({ startProblem: { ...get().startProblem, [serverId]: undefined } });
    try {
      const started = await api.runDiagnostic({ serverId, diagnostic });
      const before = early.get(started.runId);
      early.delete(started.runId);
      const run: DiagnosticRun = {
        runId: started.runId,
        serverId,
        commandLine: started.commandLine,
        chunks: before?.chunks ?? [],
        exit: before?.exit,
      };
      set({
        runs: { ...get().runs, [run.runId]: run },
        order: { ...get().order, [serverId]: [...(get().order[serverId] ?? []), run.runId] },
      });
    } catch (error) {
      set({ startProblem: { ...get().startProblem, [serverId]: problemOf(error) } });
    }
  },
  clear(serverId) {
    const runs = { ...get().runs };
    for (const id of get().order[serverId] ?? []) delete runs[id];
    set({ runs, order: { ...get().order, [serverId]: [] } });
  },
}));

api.on('diagnosticOutput', ({ runId, stream, text }) => {
  const run = useDiagnostics.getState().runs[runId];
  if (!run) {
    const pending = early.get(runId) ?? { chunks: [] };
    pending.chunks.push({ stream, text });
    early.set(runId, pending);
    return;
  }
  useDiagnostics.setState({
    runs: { ...useDiagnostics.getState().runs, [runId]: { ...run, chunks: [...run.chunks, { stream, text }] } },
  });
});

api.on('diagnosticExit', ({ runId, exitCode, signal, durationMs, problem }) => {
  const exit = { exitCode, signal, durationMs, problem };
  const run = useDiagnostics.getState().runs[runId];
  if (!run) {
    early.set(runId, { chunks: early.get(runId)?.chunks ?? [], exit });
    return;
  }
  useDiagnostics.setState({ runs: { ...useDiagnostics.getState().runs, [runId]: { ...run, exit } } });
});
