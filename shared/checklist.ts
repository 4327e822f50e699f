/**
 * The practices a release is worked through: its change class and the
 * discipline that class asks for, the checklist of each phase (drawn from the
 * pre-deployment, backup, staging, production, verification, rollback-plan and
 * sign-off checklists of ../shared/seeds), the stop gates, approvals and the
 * sign-off. Pure: the engine gathers evidence and journals; this decides.
 */

export const changeClasses = ['low', 'medium', 'high', 'emergency'] as const;
export type ChangeClass = (typeof changeClasses)[number];

/** What the person releasing says about the change; every field may be left out. */
export interface ChangeInfo {
  /** Unset means unclassified, which is treated as high. */
  readonly class?: ChangeClass;
  /** Who or what the change affects; unknown impact is a stop gate. */
  readonly impact?: string;
  /** The CI result the release was built from (a link, a run number, "green"). */
  readonly ci?: string;
  /** The release changes the database (a migration, a schema or data change). */
  readonly database?: boolean;
}

/** What a class asks of a release. */
export interface Discipline {
  readonly class: ChangeClass;
  /** Whether the user chose the class (an unclassified release is treated as high). */
  readonly classified: boolean;
  /** standard: the automatic items must hold, the manual ones are offered; full: every required item; reduced: incident mode's short list. */
  readonly checklist: 'standard' | 'full' | 'reduced';
  /** A second named person approves before DEPLOY. */
  readonly approval: boolean;
  /** Production only after the same release passed on staging. */
  readonly staging: boolean;
}

export const classLabels: Record<ChangeClass, string> = {
  low: 'Low: config, docs',
  medium: 'Medium: app release, dependency update',
  high: 'High: infrastructure, database, scaling',
  emergency: 'Emergency: outage mitigation',
};

export function disciplineOf(change: ChangeInfo): Discipline {
  const cls = change.class ?? 'high';
  const classified = change.class !== undefined;
  switch (cls) {
    case 'low':
      return { class: cls, classified, checklist: 'standard', approval: false, staging: false };
    case 'medium':
      return { class: cls, classified, checklist: 'full', approval: false, staging: false };
    case 'high':
      return { class: cls, classified, checklist: 'full', approval: true, staging: true };
    case 'emergency':
      return { class: cls, classified, checklist: 'reduced', approval: false, staging: false };
  }
}

/** The checklists of the seeds, each worked in one phase. */
export const sections = [
  'pre-deployment',
  'rollback-plan',
  'backup',
  'staging-deployment',
  'production-deployment',
  'post-deployment',
  'sign-off',
] as const;
export type Section = (typeof sections)[number];

/** Where each checklist is worked: its items must be done before the run leaves that point. */
export type ChecklistPhase = 'PREPARE' | 'BACKUP' | 'DEPLOY' | 'VERIFY' | 'SIGN-OFF';

export const sectionPhase: Record<Section, ChecklistPhase> = {
  'pre-deployment': 'PREPARE',
  'rollback-plan': 'PREPARE',
  backup: 'BACKUP',
  'staging-deployment': 'DEPLOY',
  'production-deployment': 'DEPLOY',
  'post-deployment': 'VERIFY',
  'sign-off': 'SIGN-OFF',
};

export const sectionTitles: Record<Section, string> = {
  'pre-deployment': 'Pre-deployment',
  'rollback-plan': 'Rollback plan',
  backup: 'Backup',
  'staging-deployment': 'Staging deployment',
  'production-deployment': 'Production deployment',
  'post-deployment': 'Post-deployment verification',
  'sign-off': 'Sign-off',
};

/** What Shipdeck checks by itself, from evidence it keeps beside the tick. */
export const autoChecks = [
  'classified',
  'ci-given',
  'plan-documented',
  'servers-reachable',
  'rollback-target',
  'monitoring',
  'deploy-window',
  'rollback-triggers',
  'backup-artifacts',
  'state-recorded',
  'staging-passed',
  'deployed',
  'health-passing',
  'error-rate-normal',
  'logs-clean',
  'confirmed',
] as const;
export type AutoCheck = (typeof autoChecks)[number];

/** One item of a template: automatic (with its check) or manual; when it is required. */
export interface ItemTemplate {
  readonly id: string;
  readonly section: Section;
  readonly text: string;
  readonly check?: AutoCheck;
  /** always: in every class; full: required where the class runs the full checklist; never: offered only. */
  readonly required: 'always' | 'full' | 'never';
  /** Kept in an emergency's reduced checklist. */
  readonly reduced?: boolean;
  /** Only for releases to these environments (staging-deployment to staging, production-deployment to production). */
  readonly environments?: readonly string[];
}

/** Bumped whenever the built-in templates change, so a run's record says which ones it used. */
export const templateVersion = 'shipdeck-checklists-1';

export const builtInTemplates: readonly ItemTemplate[] = [
  {
    id: 'pre.classified',
    section: 'pre-deployment',
    text: 'Change classified',
    check: 'classified',
    required: 'never',
    reduced: true,
  },
  {
    id: 'pre.reachable',
    section: 'pre-deployment',
    text: 'Servers reachable, Docker up',
    check: 'servers-reachable',
    required: 'always',
    reduced: true,
  },
  {
    id: 'pre.ci',
    section: 'pre-deployment',
    text: 'All CI tests passing (CI status given)',
    check: 'ci-given',
    required: 'full',
  },
  { id: 'pre.review', section: 'pre-deployment', text: 'Code reviewed and approved', required: 'full' },
  { id: 'pre.env', section: 'pre-deployment', text: 'Environment variables verified', required: 'full' },
  {
    id: 'pre.plan',
    section: 'pre-deployment',
    text: 'Deployment plan documented',
    check: 'plan-documented',
    required: 'full',
  },
  {
    id: 'pre.window',
    section: 'pre-deployment',
    text: 'Inside the deployment window (no freeze)',
    check: 'deploy-window',
    required: 'always',
    reduced: true,
  },
  {
    id: 'pre.monitoring',
    section: 'pre-deployment',
    text: 'Monitoring available (a baseline probe succeeded)',
    check: 'monitoring',
    required: 'always',
    reduced: true,
  },
  { id: 'pre.qa', section: 'pre-deployment', text: 'QA sign-off received', required: 'never' },
  { id: 'pre.stakeholders', section: 'pre-deployment', text: 'Stakeholders notified', required: 'never' },
  {
    id: 'rollback.target',
    section: 'rollback-plan',
    text: 'Previous release available as a rollback target',
    check: 'rollback-target',
    required: 'always',
    reduced: true,
  },
  {
    id: 'rollback.triggers',
    section: 'rollback-plan',
    text: 'Trigger conditions set (error rate, response time, health checks)',
    check: 'rollback-triggers',
    required: 'always',
  },
  {
    id: 'rollback.database',
    section: 'rollback-plan',
    text: 'Database rollback path confirmed (if the release changes it)',
    required: 'never',
  },
  {
    id: 'backup.artifacts',
    section: 'backup',
    text: 'Backup taken: every artifact exists and is not empty',
    check: 'backup-artifacts',
    required: 'always',
    reduced: true,
  },
  {
    id: 'backup.state',
    section: 'backup',
    text: 'Current state documented (containers, ports, nginx upstream)',
    check: 'state-recorded',
    required: 'always',
    reduced: true,
  },
  {
    id: 'staging.deployed',
    section: 'staging-deployment',
    text: 'Deployed to staging, health checks passing',
    check: 'deployed',
    required: 'always',
    environments: ['staging'],
  },
  {
    id: 'staging.migrations',
    section: 'staging-deployment',
    text: 'Database migrations applied (if any)',
    required: 'never',
    environments: ['staging'],
  },
  {
    id: 'staging.config',
    section: 'staging-deployment',
    text: 'Configuration verified',
    required: 'full',
    environments: ['staging'],
  },
  {
    id: 'production.staging',
    section: 'production-deployment',
    text: 'The same release passed on staging',
    check: 'staging-passed',
    required: 'never',
    environments: ['production'],
  },
  {
    id: 'production.deployed',
    section: 'production-deployment',
    text: 'Deployed to production, health checks passing',
    check: 'deployed',
    required: 'always',
    reduced: true,
    environments: ['production'],
  },
  {
    id: 'production.integrations',
    section: 'production-deployment',
    text: 'Integrations verified',
    required: 'never',
    environments: ['production'],
  },
  {
    id: 'verify.health',
    section: 'post-deployment',
    text: 'All health checks passing',
    check: 'health-passing',
    required: 'always',
    reduced: true,
  },
  {
    id: 'verify.errors',
    section: 'post-deployment',
    text: 'Error rates normal',
    check: 'error-rate-normal',
    required: 'always',
    reduced: true,
  },
  {
    id: 'verify.logs',
    section: 'post-deployment',
    text: 'Logs reviewed: no critical errors',
    check: 'logs-clean',
    required: 'always',
  },
  { id: 'verify.flows', section: 'post-deployment', text: 'Critical user flows tested', required: 'full' },
  {
    id: 'signoff.successful',
    section: 'sign-off',
    text: 'Deployment successful',
    check: 'confirmed',
    required: 'always',
    reduced: true,
  },
  { id: 'signoff.issues', section: 'sign-off', text: 'No critical issues open', required: 'full', reduced: true },
  { id: 'signoff.notified', section: 'sign-off', text: 'Stakeholders notified', required: 'full' },
];

/** A service's changes to the built-in templates, per environment (`all` for every one), from its spec. */
export interface ChecklistChanges {
  readonly add: readonly {
    readonly id?: string;
    readonly section: Section;
    readonly text: string;
    readonly required: boolean;
  }[];
  /** Built-in items this service does not use. */
  readonly drop: readonly string[];
  /** Built-in items made required, or made optional, for this service. */
  readonly require: readonly string[];
  readonly optional: readonly string[];
}

export type ChecklistSpec = Readonly<Record<string, ChecklistChanges>>;

/** One item of a run's checklist, with how it stands. */
export interface ChecklistItem {
  readonly id: string;
  readonly section: Section;
  readonly phase: ChecklistPhase;
  readonly text: string;
  readonly kind: 'auto' | 'manual';
  readonly check?: AutoCheck;
  readonly required: boolean;
  /** open: to do; done: ticked (by Shipdeck from evidence, or by a person); failed: the evidence says no; waived: skipped with a reason; n/a: does not apply to this run. */
  readonly state: 'open' | 'done' | 'failed' | 'waived' | 'n/a';
  /** What Shipdeck saw, for an automatic item (kept beside the tick). */
  readonly evidence?: string;
  /** Who ticked or waived it and when (Shipdeck for automatic ticks). */
  readonly by?: string;
  readonly at?: string;
  readonly note?: string;
  /** Why it was waived. */
  readonly reason?: string;
}

/** The checklist of one run, built from the templates it was planned with. */
export interface Checklist {
  readonly templateVersion: string;
  readonly items: readonly ChecklistItem[];
}

/** Build a run's checklist: the built-ins for its environment and class, with the service's changes. */
export function buildChecklist(discipline: Discipline, environment: string, changes?: ChecklistSpec): Checklist {
  const applied = [changes?.['all'], changes?.[environment]].filter((c): c is ChecklistChanges => c !== undefined);
  const dropped = new Set(applied.flatMap((c) => c.drop));
  const required = new Set(applied.flatMap((c) => c.require));
  const optional = new Set(applied.flatMap((c) => c.optional));
  const items: ChecklistItem[] = [];
  for (const t of builtInTemplates) {
    if (dropped.has(t.id)) continue;
    if (t.environments && !t.environments.includes(environment)) continue;
    if (discipline.checklist === 'reduced' && !t.reduced) continue;
    const byClass =
      t.required === 'always' ||
      (t.required === 'full' && discipline.checklist === 'full') ||
      (t.required === 'full' && discipline.checklist === 'reduced');
    const isRequired = required.has(t.id) || (byClass && !optional.has(t.id));
    items.push({
      id: t.id,
      section: t.section,
      phase: sectionPhase[t.section],
      text: t.text,
      kind: t.check ? 'auto' : 'manual',
      ...(t.check ? { check: t.check } : {}),
      required: isRequired,
      state: 'open',
    });
  }
  let n = 0;
  for (const c of applied) {
    for (const a of c.add) {
      n++;
      items.push({
        id: a.id ?? `custom.${n}`,
        section: a.section,
        phase: sectionPhase[a.section],
        text: a.text,
        kind: 'manual',
        required: a.required,
        state: 'open',
      });
    }
  }
  // Items are shown and worked in the order of the sections.
  items.sort((a, b) => sections.indexOf(a.section) - sections.indexOf(b.section));
  return { templateVersion, items };
}

/** Does this item still hold the run back? */
export function isOpen(item: ChecklistItem): boolean {
  return item.required && (item.state === 'open' || item.state === 'failed');
}
