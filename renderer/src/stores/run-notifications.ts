import type { RunUpdate } from '../../../shared/contract';
import { api } from '../api';
import { useRunList } from './run-list-store';
import { useRun } from './run-store';
import { useSection } from './section-store';

/**
 * A run that needs a person (paused at a checklist, a gate or an approval, or
 * waiting for a decision after VERIFY) raises a desktop notification while
 * Shipdeck is not in view, once per pause. Permission is asked when a person
 * starts a run (a click), never on load.
 */
const told = new Set<string>();

export function askToNotify(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

function notify(runId: string, key: string, body: string): void {
  if (told.has(key) || typeof Notification === 'undefined' || Notification.permission !== 'granted' || !document.hidden)
    return;
  told.add(key);
  const run = useRunList.getState().runs.find((r) => r.id === runId);
  const title = run ? `${run.service} ${run.version} → ${run.environment} needs you` : 'A run needs you';
  const notice = new Notification(`Shipdeck: ${title}`, { body, tag: runId });
  notice.onclick = () => {
    window.focus();
    useSection.getState().open('runs');
    void useRun.getState().open(runId);
    notice.close();
  };
}

function onUpdate(update: RunUpdate): void {
  if (update.kind === 'waiting' && update.waiting) {
    notify(
      update.runId,
      `${update.runId}:${update.waiting.at}:${update.waiting.since}`,
      `Paused before ${update.waiting.at}: ${update.waiting.blockers.map((b) => b.text).join('; ')}`,
    );
  }
  if (update.kind === 'status' && update.status === 'awaiting-decision')
    notify(update.runId, `${update.runId}:decision`, 'VERIFY is done: confirm or roll back.');
}

api.on('runUpdate', onUpdate);
