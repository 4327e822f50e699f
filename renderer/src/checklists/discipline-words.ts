import type { Discipline } from '../../../shared/checklist';

const checklistWords: Record<Discipline['checklist'], string> = {
  standard: 'standard checklist (Shipdeck’s automatic checks must hold; manual items are offered)',
  full: 'full checklist (every required item, by hand too)',
  reduced: 'reduced checklist (incident mode: the essentials only)',
};

/** What a class asks of a release, in one phrase: "full checklist · approval by a second person before DEPLOY · staging first". */
export function disciplineWords(discipline: Discipline): string {
  return [
    checklistWords[discipline.checklist],
    ...(discipline.approval ? ['approval by a second person before DEPLOY'] : []),
    ...(discipline.staging ? ['staging first (production only after it passed on staging)'] : []),
  ].join(' · ');
}
