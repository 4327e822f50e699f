import type { Waiting } from '../../../shared/run';

/** A paused run says where it stopped and everything it waits for, in words a person can act on. */
export function PausedBanner({ waiting }: { waiting: Waiting | undefined }) {
  return (
    <div className="banner warn paused" role="alert" aria-label="Paused">
      <strong>
        {waiting ? `Paused before ${waiting.at}: waiting for` : 'Paused: waiting for a person (see the checklist)'}
      </strong>
      {waiting && waiting.blockers.length > 0 && (
        <ul className="blockers" aria-label="What the run waits for">
          {waiting.blockers.map((b) => (
            <li key={`${b.kind}-${b.id}`} data-kind={b.kind}>
              {b.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
