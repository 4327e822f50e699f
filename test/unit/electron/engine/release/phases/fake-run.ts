import { buildChecklist, disciplineOf, type ChangeInfo, type ChecklistPhase } from '../../../../../../shared/checklist';
import { command } from '../../../../../../shared/commands/command';
import type { Step } from '../../../../../../shared/deploy-plan';
import { ProblemError } from '../../../../../../shared/problem';
import type { Server } from '../../../../../../shared/server';
import type { ServiceSpec } from '../../../../../../shared/service-spec';
import type { Judgement, RunSamples } from '../../../../../../shared/verify';
import type { RunUpdate } from '../../../../../../shared/contract';
import type { FreezeRule } from '../../../../../../shared/freeze';
import type { DeployPlan, HostDeploy } from '../../../../../../electron/engine/release/host-plan';
import type { PhaseContext } from '../../../../../../electron/engine/release/phases/context';
import { RunChecks } from '../../../../../../electron/engine/release/run-checks';
import type { JournalEvent } from '../../../../../../electron/engine/release/run-journal';
import { RunRecorder } from '../../../../../../electron/engine/release/run-recorder';
import { purposeOf, type ActiveRun, type Measuring } from '../../../../../../electron/engine/release/run-state';

/** The spec a fake run releases; each test changes what it needs. */
export const spec = {
  service: 'web',
  image: 'shop/web',
  port: 3000,
  servers: { staging: ['lab-1', 'lab-2'] },
  proxy: 'nginx',
  healthcheck: { path: '/up', status: 200, intervalMs: 100, timeoutMs: 1000, retries: 5 },
  strategy: { kind: 'blue-green' },
  retain: 3,
  backup: [],
  hooks: { preDeploy: [], postDeploy: [] },
  env: {},
} as unknown as ServiceSpec;

export interface FakeRunOptions {
  readonly spec?: Partial<ServiceSpec>;
  readonly change?: ChangeInfo;
  readonly hosts?: readonly string[];
  /** Whether the hosts have a live release to go back to. */
  readonly live?: boolean;
  readonly environment?: string;
  /** The step (by purpose) fails with this message. */
  readonly failing?: Readonly<Record<string, string>>;
  /** What a step (by purpose) prints on stdout. */
  readonly prints?: Readonly<Record<string, string>>;
  /** A deployer call that throws. */
  readonly deployerFails?: Partial<Record<'deploy' | 'deployLocked' | 'rollback' | 'confirm', string>>;
  /** VERIFY's judgement, when the spec measures metrics. */
  readonly judgement?: Pick<Judgement, 'decision' | 'reason' | 'cards'>;
  readonly freezeRules?: readonly FreezeRule[];
  readonly now?: Date;
  readonly reachable?: boolean;
  /** The phase the run is about to start: Shipdeck's items of the phases before it hold already. */
  readonly from?: 'PREPARE' | 'BACKUP' | 'DEPLOY' | 'VERIFY';
}

/** A run over a fake step runner, deployer and fleet, recording into a real recorder whose journal is an array. */
export interface FakeRun {
  readonly ctx: PhaseContext;
  readonly run: ActiveRun;
  /** What ran, in order: `host: purpose` for each step, `deployer.<call>` for the deployer, `hosts.<reading>`, `verification.<call>`. */
  readonly ran: string[];
  /** Every journal event, in order. */
  readonly journal: JournalEvent[];
  readonly updates: RunUpdate[];
  /** The journal's phase changes, as `PHASE state`. */
  phases(): string[];
  /** The journal's status changes, with the problem's message. */
  statuses(): string[];
  /** The checklist items Shipdeck ticked from evidence, as `id state`. */
  evidence(): string[];
  /** The gates met, by gate id. */
  gates(): string[];
}

/** A command step on a host, for plans in tests. */
export function commandStep(host: string, purpose: string): Step {
  return { kind: 'command', host, command: command('true', [], purpose) };
}

export function fakeRun(options: FakeRunOptions = {}): FakeRun {
  const theSpec = { ...spec, ...options.spec } as ServiceSpec;
  const names = options.hosts ?? ['lab-1', 'lab-2'];
  const environment = options.environment ?? 'staging';
  const change = options.change ?? { class: 'low', impact: 'none', ci: 'green' };
  const hosts: HostDeploy[] = names.map((name, i) => {
    const live =
      options.live === false ? undefined : { release: 'v1', container: `web-v1-${3000 + i}`, port: 3000 + i };
    return {
      server: { id: `id-${name}`, name } as Server,
      input: {
        host: name,
        home: '/home/deploy',
        ...(live ? { live } : {}),
        standby: [],
        proxy: { upstreamFile: '/etc/nginx/web.conf', reload: command('nginx', ['-s', 'reload'], 'Reload nginx') },
        port: 3100 + i,
      },
      state: { service: 'web', standby: [], history: [] },
      steps: [],
      next: { release: 'v2', container: `web-v2-${3100 + i}`, port: 3100 + i },
    };
  });
  const plan: DeployPlan = {
    spec: theSpec,
    release: 'v2',
    holder: { who: 'ana', since: '2026-01-01T00:00:00Z', release: 'v2', runId: 'run-1' },
    hosts,
  };
  const journal: JournalEvent[] = [];
  const updates: RunUpdate[] = [];
  const ran: string[] = [];
  const recorder = new RunRecorder({
    journal: { append: (_id, event) => journal.push(event) },
    emit: (u) => updates.push(u),
    log: () => undefined,
  });
  const discipline = disciplineOf(change);
  // The checks journal through the run they belong to, made just below.
  const checks = new RunChecks(
    'run-1',
    discipline,
    'ana',
    { checklist: buildChecklist(discipline, environment), gates: [], approvals: [] },
    recorder.checksOutput('run-1', () => active),
    () => new Date('2026-01-01T00:00:00Z'),
  );
  const active: ActiveRun = {
    id: 'run-1',
    plan,
    ids: new Map(),
    environment,
    phase: 'PREPARE',
    status: 'running',
    busy: true,
    phaseStarts: new Map(),
    nextStep: 1,
    checks,
    change,
    overrides: [],
  };
  const deployerCall = (call: 'deploy' | 'deployLocked' | 'rollback' | 'confirm') => async () => {
    ran.push(`deployer.${call}`);
    const message = options.deployerFails?.[call];
    if (message) throw new ProblemError({ code: 'command-failed', message });
  };
  const measuring: Measuring = {
    sampleBaseline: async () => void ran.push('verification.sampleBaseline'),
    run: async () => {
      ran.push('verification.run');
      return {
        at: 0,
        comparison: {} as Judgement['comparison'],
        cards: [],
        decision: 'pass',
        reason: 'all passed',
        ...options.judgement,
      };
    },
    settle: (acted) => {
      ran.push(`verification.settle ${acted}`);
      return {} as ReturnType<Measuring['settle']>;
    },
  };
  const samples: RunSamples = {
    prepared: [{ kind: 'http', status: 200, t: 0, ms: 5 } as unknown as RunSamples['prepared'][number]],
    baseline: [],
    candidate: [],
  };
  const ctx: PhaseContext = {
    run: active,
    recorder,
    steps: {
      run: async (step, also) => {
        const purpose = purposeOf(step);
        ran.push(`${step.host}: ${purpose}`);
        const report = (event: Parameters<RunRecorder['step']>[1]) => {
          recorder.step(active, event);
          also?.(event);
        };
        report({ type: 'start', step, line: purpose });
        const printed = options.prints?.[purpose];
        if (printed) report({ type: 'output', step, stream: 'stdout', text: printed });
        const failure = options.failing?.[purpose];
        report({ type: 'end', step, ok: !failure, exitCode: failure ? 1 : 0, durationMs: 1 });
        if (failure) throw new ProblemError({ code: 'command-failed', message: failure });
      },
    },
    deployer: {
      deploy: deployerCall('deploy'),
      deployLocked: deployerCall('deployLocked'),
      rollback: deployerCall('rollback'),
      confirm: deployerCall('confirm'),
    },
    hosts: {
      reachable: async () => (
        ran.push('hosts.reachable'),
        {
          ok: options.reachable !== false,
          evidence: options.reachable === false ? 'lab-2: refused' : 'every host answered',
        }
      ),
      healthBaseline: async () => (
        ran.push('hosts.healthBaseline'),
        { ok: options.live !== false, evidence: 'v1 answers' }
      ),
      logsClean: async () => (ran.push('hosts.logsClean'), { ok: true, evidence: 'no error lines' }),
    },
    measure: () => (ran.push('measure'), measuring),
    samples: () => samples,
    freezeRules: () => options.freezeRules ?? [],
    now: () => options.now ?? new Date('2026-01-07T10:00:00'),
    log: () => undefined,
  };
  const phasesBefore: Record<NonNullable<FakeRunOptions['from']>, readonly ChecklistPhase[]> = {
    PREPARE: [],
    BACKUP: ['PREPARE'],
    DEPLOY: ['PREPARE', 'BACKUP'],
    VERIFY: ['PREPARE', 'BACKUP', 'DEPLOY'],
  };
  const before = phasesBefore[options.from ?? 'PREPARE'];
  for (const item of buildChecklist(discipline, environment).items)
    if (item.check && before.includes(item.phase)) checks.evidence(item.check, 'done', 'held before this phase');
  journal.length = 0;
  updates.length = 0;
  const of = <T extends JournalEvent['type']>(type: T) =>
    journal.filter((e): e is Extract<JournalEvent, { type: T }> => e.type === type);
  return {
    ctx,
    run: active,
    ran,
    journal,
    updates,
    phases: () => of('phase').map((e) => `${e.phase.phase} ${e.phase.state}`),
    statuses: () => of('status').map((e) => `${e.status}${e.problem ? `: ${e.problem.message}` : ''}`),
    evidence: () => of('checklist').map((e) => `${e.item.id} ${e.item.state}`),
    gates: () => of('gate').map((e) => e.gate.gate),
  };
}

/** Let a run waiting at a boundary record its wait. */
export async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
