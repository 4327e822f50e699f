import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reply } from '../../shared/contract';
import type { RunPreview, RunRecord, RunStatus, RunSummary } from '../../shared/run';
import { Engine, type EngineOptions } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile, type LabHost } from '../lab/lab-state';
import { labReload, restoreLabHosts } from './lab-cleanup';
export { serving } from './lab-cleanup';
import { lab } from './lab-servers';

export type Caller = (channel: string, request: unknown) => Promise<Reply<unknown>>;

export async function value<T>(call: Caller, channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.problem)}`);
  return r.value as T;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The lab service `web` with VERIFY on: /cgi-bin/app probed (the page the
 * lab's v2 variants get wrong), everything else the defaults unless given.
 */
export function verifySpec(hosts: readonly LabHost[], port: number, verify?: string): string {
  return [
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${port}`,
    `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
    'healthcheck: { path: /up, status: 200, interval: 200ms, timeout: 1s, retries: 50 }',
    'metrics: { http: ["/cgi-bin/app"], container: true, host: true }',
    ...(verify ? [`verify: ${verify}`] : []),
    'retain: 2',
  ].join('\n');
}

/** A fresh engine (with `options`, such as a report printer) with the lab hosts (each with its nginx) and the spec saved, the hosts put back on v1 first, and a release of `version` started. */
export async function startRelease(
  hosts: readonly LabHost[],
  spec: string,
  version: string,
  options: Partial<Pick<EngineOptions, 'printReport'>> = {},
): Promise<{ engine: Engine; call: Caller; runId: string }> {
  await restoreLabHosts(hosts);
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-verify-'));
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'test',
    cipher: keyFileCipher(dataDir),
    ...options,
  });
  const call: Caller = (channel, request) => engine.handle(channel, request);
  for (const host of hosts) {
    await value(call, 'addServer', {
      name: host.name,
      host: '127.0.0.1',
      port: host.sshPort,
      user: 'root',
      auth: { kind: 'key', keyPath: lab().clientKey },
      environment: 'staging',
      labels: [],
      dockerSocket: '',
      proxy: { upstreamFile: host.nginx!.upstream, reload: labReload(host) },
    });
  }
  await value(call, 'importKnownHosts', { path: knownHostsFile() });
  await value(call, 'saveService', { text: spec });
  const preview = await value<RunPreview>(call, 'planRelease', {
    service: 'web',
    environment: 'staging',
    version,
    change: { class: 'low', impact: 'lab test: no users' },
  });
  const run = await value<RunSummary>(call, 'startRun', { previewId: preview.previewId, notes: `verify ${version}` });
  return { engine, call, runId: run.id };
}

/** Wait until the run ends in one of `statuses`; any other end throws with its problem and cards. */
export async function ending(
  call: Caller,
  runId: string,
  statuses: readonly RunStatus[],
  timeoutMs = 60_000,
): Promise<RunRecord> {
  return until(
    `run ${runId} to end in ${statuses.join(' or ')}`,
    async () => {
      const run = await value<RunRecord>(call, 'getRun', { runId });
      if (statuses.includes(run.status)) return run;
      if (run.status !== 'running')
        throw new Error(
          `run ended ${run.status}: ${JSON.stringify(run.problem)} ${JSON.stringify(run.verification?.judgement?.cards.map((c) => `${c.metric}: ${c.verdict} ${c.reason}`))}`,
        );
      return undefined;
    },
    timeoutMs,
  );
}
