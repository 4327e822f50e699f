import { reloadProxy } from '../../../shared/commands/proxy';
import { randomUUID } from 'node:crypto';
import { buildChecklist, disciplineOf, type ChangeInfo } from '../../../shared/checklist';
import { backupSteps } from '../../../shared/commands/backup';
import { hookSteps } from '../../../shared/commands/hooks';
import { type HostRelease, type Step } from '../../../shared/deploy-plan';
import { answeredByStep } from '../../../shared/commands/release-steps';
import { ProblemError } from '../../../shared/problem';
import type { Phase, PlannedStep, Promotion, RunPreview } from '../../../shared/run';
import { defaultProxySettings, type Server } from '../../../shared/server';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Inventory } from '../inventory';
import type { Deployer } from './deployer';
import type { JournalEvent, JournalHost } from './run-journal';
import type { FreezeNow } from './policy';
import { gatesAtPlanning } from './policy';
import type { Preview } from './run-state';
import { purposeOf } from './run-state';
import { describeStep } from './step-runner';

/** What planning needs: the inventory, a deployer to read the hosts, who plans, and the policy's answers. */
export interface PlanningOptions {
  readonly inventory: Inventory;
  readonly deployer: Deployer;
  readonly who: string;
  readonly freeze: (environment: string) => FreezeNow | undefined;
  readonly promotion: (
    spec: ServiceSpec,
    environment: string,
    version: string,
    change: ChangeInfo,
  ) => Promotion | undefined;
}

/** PREPARE's plan: read every host of the environment and plan every step of the release; nothing changes. */
export async function planRelease(
  options: PlanningOptions,
  spec: ServiceSpec,
  environment: string,
  version: string,
  change: ChangeInfo,
  reuse: { readonly reuseStandby?: boolean },
): Promise<Preview> {
  const discipline = disciplineOf(change);
  const names = spec.servers[environment];
  if (!names)
    throw new ProblemError({
      code: 'bad-request',
      message: `${spec.service} has no environment ${environment}`,
      where: 'servers',
      hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.`,
    });
  const servers = names.map((name) => {
    const server = options.inventory.findByName(name);
    if (!server)
      throw new ProblemError({
        code: 'not-found',
        message: `${spec.service}'s ${environment} servers include ${name}, which is not in the inventory`,
        where: `servers.${environment}`,
        hint: `Add ${name} in Fleet, or correct the spec.`,
      });
    return server;
  });
  const promotedFrom = options.promotion(spec, environment, version, change);
  const previewId = randomUUID();
  const plan = await options.deployer.plan(
    spec,
    version,
    servers,
    { who: options.who, since: new Date().toISOString(), release: version, runId: previewId },
    reuse,
  );
  const artifacts = new Map<Step, { host: string; path: string }>();
  const backup = plan.hosts.flatMap((h) => backupSteps(spec, version, h.server, artifacts));
  const preDeploy = plan.hosts.flatMap((h) => hookSteps(spec.hooks.preDeploy, version, h.server, 'pre-deploy'));
  const verify = plan.hosts.flatMap((h) => verifySteps(spec, h.server, h.next));
  const postDeploy = plan.hosts.flatMap((h) => hookSteps(spec.hooks.postDeploy, version, h.server, 'post-deploy'));
  const ids = new Map<Step, PlannedStep>();
  const add = (phase: Phase, step: Step) =>
    ids.set(step, {
      id: `s${ids.size + 1}`,
      phase,
      host: step.host,
      purpose: purposeOf(step),
      line: describeStep(step),
    });
  backup.forEach((s) => add('BACKUP', s));
  preDeploy.forEach((s) => add('DEPLOY', s));
  plan.hosts.forEach((h) => h.steps.forEach((s) => add('DEPLOY', s)));
  verify.forEach((s) => add('VERIFY', s));
  postDeploy.forEach((s) => add('VERIFY', s));
  const preview: RunPreview = {
    previewId,
    service: spec.service,
    environment,
    version,
    hosts: plan.hosts.map((h) => ({
      server: h.server.name,
      ...(h.input.live ? { live: h.input.live.release } : {}),
      port: h.next.port,
    })),
    steps: [...ids.values()],
    change,
    discipline,
    checklist: buildChecklist(discipline, environment, spec.checklist),
    gates: gatesAtPlanning(options.freeze(environment), change, plan.hosts),
    ...(promotedFrom ? { promotedFrom } : {}),
  };
  return { preview, plan, backup, preDeploy, verify, postDeploy, ids, artifacts };
}

/** The run's first event, which makes it a run: what was previewed, who started it, and each host as the journal needs it. */
export function runStartEvent(
  id: string,
  previewed: Preview,
  run: { readonly startedAt: string; readonly notes: string; readonly who: string; readonly startedBy: string },
): JournalEvent {
  const { preview, plan } = previewed;
  return {
    type: 'run',
    run: {
      id,
      service: preview.service,
      environment: preview.environment,
      version: preview.version,
      notes: run.notes,
      who: run.who,
      startedAt: run.startedAt,
      spec: plan.spec,
      startedBy: run.startedBy,
      change: preview.change,
      discipline: preview.discipline,
      checklist: preview.checklist,
      ...(preview.promotedFrom ? { promotedFrom: preview.promotedFrom } : {}),
    },
    steps: preview.steps,
    hosts: plan.hosts.map((h) =>
      journalHost(
        h.server,
        h.input.home,
        h.input.live,
        h.next,
        h.input.proxy.upstreamFile,
        proxySettingsOf(h.server).reload,
      ),
    ),
  };
}

function journalHost(
  server: Server,
  home: string,
  previous: HostRelease | undefined,
  next: HostRelease,
  upstreamFile: string,
  reload: string,
): JournalHost {
  return {
    serverId: server.id,
    server: server.name,
    home,
    ...(previous ? { previous } : {}),
    next,
    upstreamFile,
    reload,
  };
}

function proxySettingsOf(server: Server) {
  return server.proxy ?? defaultProxySettings;
}

/** A server's nginx for a service: its settings, or the defaults. */
export function proxyTarget(server: Server, spec: Pick<ServiceSpec, 'service'>) {
  const settings = proxySettingsOf(server);
  return {
    upstreamFile: settings.upstreamFile.replaceAll('{service}', spec.service),
    reload: reloadProxy(settings.reload),
  };
}

/** VERIFY on one host: the new release still answers its health check, from the same process. */
export function verifySteps(spec: ServiceSpec, server: Server, next: HostRelease): Step[] {
  return [
    {
      kind: 'health',
      host: server.name,
      purpose: `Verify ${next.release} still answers ${spec.healthcheck.path} after the switch`,
      port: next.port,
      check: { ...spec.healthcheck, retries: Math.min(3, spec.healthcheck.retries) },
    },
    answeredByStep(server.name, next, false),
  ];
}
