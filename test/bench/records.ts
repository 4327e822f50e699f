// Records figures: how fast incident mode restores a release that broke after confirm, what
// PREPARE's checklist evidence costs a run, and how History, its delivery metrics and the audit
// trail hold up with a year of runs in the data folder.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Reply } from '../../shared/contract';
import { deliveryMetrics } from '../../shared/delivery';
import type { Incident } from '../../shared/incident';
import type { RunPreview, RunRecord, RunSummary } from '../../shared/run';
import { AuditTrail } from '../../electron/engine/audit/audit-trail';
import { redactionOf } from '../../shared/redaction';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { knownHostsFile } from '../lab/lab-state';
import { labReload, restoreLabHosts, serving } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { median, type Figure } from './figures';

type Call = <T>(channel: string, request: unknown) => Promise<T>;

function engineIn(dataDir: string): { engine: Engine; call: Call } {
  const engine = new Engine({
    store: confSettingsStore(dataDir),
    log: fileLog(dataDir),
    dataDir,
    host: 'browser',
    version: 'bench',
    cipher: keyFileCipher(dataDir),
  });
  const call: Call = async (channel, request) => {
    const reply: Reply<unknown> = await engine.handle(channel, request);
    if (!reply.ok) throw new Error(`${channel}: ${reply.problem.message}`);
    return reply.value as never;
  };
  return { engine, call };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * v2 confirmed on both lab hosts, then its containers stop (nginx answers 502);
 * from the Roll back click in incident mode to both public ports serving v1.
 * Also PREPARE's own time for a run without metrics (evidence: hosts, rollback
 * target, baseline probe, window), which every release now pays.
 */
async function incidentRestore(): Promise<{
  restoreMs: number[];
  prepareMs: number[];
  dataDir: string;
  runId: string;
}> {
  const hosts = lab().hosts.slice(0, 2);
  const restoreMs: number[] = [];
  const prepareMs: number[] = [];
  let dataDir = '';
  let runId = '';
  for (let round = 0; round < 3; round++) {
    await restoreLabHosts(hosts);
    dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-bench-records-'));
    const { engine, call } = engineIn(dataDir);
    try {
      await call('updateFleetSettings', { refreshMs: 0, parallelism: 10 });
      for (const host of hosts)
        await call('addServer', {
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
      await call('importKnownHosts', { path: knownHostsFile() });
      await call('saveService', {
        text: `service: web\nimage: shipdeck-lab/app\nport: ${await freePortPair()}\nservers: { staging: [${hosts.map((h) => h.name).join(', ')}] }\nhealthcheck: { path: /up, status: 200, interval: 100ms, timeout: 1s, retries: 100 }\n`,
      });
      const preview = await call<RunPreview>('planRelease', {
        service: 'web',
        environment: 'staging',
        version: 'v2',
        change: { class: 'low', impact: 'bench' },
      });
      const run = await call<RunSummary>('startRun', { previewId: preview.previewId, notes: 'bench', by: 'Bench' });
      const record = await until(async () => {
        const r = await call<RunRecord>('getRun', { runId: run.id });
        if (r.status === 'failed' || r.status === 'rolled-back')
          throw new Error(`v2 ended ${r.status}: ${r.problem?.message}`);
        return r.status === 'awaiting-decision' ? r : undefined;
      });
      const prepare = record.phases.find((p) => p.phase === 'PREPARE')!;
      prepareMs.push(Date.parse(prepare.endedAt!) - Date.parse(prepare.startedAt!));
      await call('confirmRun', { runId: run.id });
      runId = run.id;
      for (const host of hosts) {
        const docker = new Docker({ socketPath: host.dockerSocket! });
        for (const c of await docker.listContainers({
          filters: { label: ['shipdeck.service=web', 'shipdeck.release=v2'] },
        }))
          await docker.getContainer(c.Id).stop({ t: 0 });
      }
      const incident = await call<Incident>('openIncident', {
        title: 'bench: shop down',
        severity: 'critical',
        service: 'web',
        environment: 'staging',
        detection: 'bench',
        by: 'Bench',
      });
      const clicked = performance.now();
      await call('rollbackIncident', { id: incident.id, by: 'Bench' });
      await until(async () =>
        (await Promise.all(hosts.map((h) => serving(h.publicPort!).catch(() => '')))).every((s) => s.includes('v1'))
          ? true
          : undefined,
      );
      restoreMs.push(performance.now() - clicked);
      await until(async () =>
        (await call<Incident>('getIncident', { id: incident.id })).status === 'mitigated' ? true : undefined,
      );
    } finally {
      engine.close();
    }
  }
  await restoreLabHosts(hosts);
  return { restoreMs, prepareMs, dataDir, runId };
}

/** A year of real run journals (copies of a lab run, output and all): listRuns and the delivery metrics over them. */
async function historyAtScale(
  source: { dataDir: string; runId: string },
  count: number,
): Promise<{ listMs: number[]; metricsMs: number[]; bytes: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-bench-history-'));
  const { engine, call } = engineIn(dataDir);
  const journal = join(source.dataDir, 'runs', `${source.runId}.ndjson`);
  const bytes = readFileSync(journal).length;
  for (let i = 0; i < count; i++)
    copyFileSync(journal, join(dataDir, 'runs', `${source.runId}-${String(i).padStart(4, '0')}.ndjson`));
  const listMs: number[] = [];
  const metricsMs: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const runs = await call<RunSummary[]>('listRuns', {});
      listMs.push(performance.now() - started);
      if (runs.length !== count) throw new Error(`listed ${runs.length} of ${count}`);
      const from = performance.now();
      deliveryMetrics(runs, [], { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', bucket: 'week' });
      metricsMs.push(performance.now() - from);
    }
  } finally {
    engine.close();
  }
  return { listMs, metricsMs, bytes };
}

/** An audit trail of `count` entries: verify reads and checks the whole chain. */
function auditAtScale(count: number): { verifyMs: number[]; ok: boolean } {
  const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-bench-audit-'));
  const trail = new AuditTrail(dataDir, redactionOf([]));
  for (let i = 0; i < count; i++)
    trail.append({
      at: new Date().toISOString(),
      who: 'bench@vm',
      where: `lab-${i % 10}`,
      action: 'connectServer',
      detail: `root@127.0.0.1:${20000 + i}, SHA256:bench`,
      result: 'ok',
    });
  const verifyMs: number[] = [];
  let ok = true;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    ok &&= trail.verify().ok;
    verifyMs.push(performance.now() - started);
  }
  return { verifyMs, ok };
}

export async function recordFigures(): Promise<Figure[]> {
  const incident = await incidentRestore();
  const restore = median(incident.restoreMs);
  const prepare = median(incident.prepareMs);
  const runs = 1000;
  const history = await historyAtScale(incident, runs);
  const list = median(history.listMs);
  const metrics = median(history.metricsMs);
  const entries = 10_000;
  const audit = auditAtScale(entries);
  const verify = median(audit.verifyMs);
  const list3 = (values: number[]) => values.map((v) => (v / 1000).toFixed(1)).join(', ');
  return [
    {
      metric: 'incident: Roll back click to both hosts serving v1 again (v2 stopped after confirm; median of 3)',
      value: `${(restore / 1000).toFixed(1)} s (${list3(incident.restoreMs)})`,
      target: '≤ 15 s',
      met: restore <= 15_000,
    },
    {
      metric: "PREPARE's own time with its checklist evidence, no metrics, 2 hosts (median of 3)",
      value: `${prepare.toFixed(0)} ms (${incident.prepareMs.join(', ')})`,
      target: '≤ 1000 ms',
      met: prepare <= 1000,
    },
    {
      metric: `History: listRuns with ${runs.toLocaleString('en-US')} runs of ${(history.bytes / 1024).toFixed(0)} KB each (median of 5)`,
      value: `${list.toFixed(0)} ms`,
      target: '≤ 2000 ms',
      met: list <= 2000,
    },
    {
      metric: `delivery metrics over those ${runs.toLocaleString('en-US')} runs (median of 5)`,
      value: `${metrics.toFixed(1)} ms`,
      target: '≤ 100 ms',
      met: metrics <= 100,
    },
    {
      metric: `audit verify of ${entries.toLocaleString('en-US')} entries (median of 5)`,
      value: `${verify.toFixed(0)} ms, ${audit.ok ? 'intact' : 'BROKEN'}`,
      target: '≤ 1000 ms, intact',
      met: verify <= 1000 && audit.ok,
    },
  ];
}
