/**
 * A judgement's reasoning, one card per rule: the verdict first, the
 * sentence a person reads, then the values, the test, its interval and the
 * threshold. Passing rules fold their figures away; failing ones show them.
 */
import type { VerificationRecord } from '../../../shared/run';
import type { DecisionCard, Judgement, VerdictState } from '../../../shared/verify';
import { formatInterval, formatPValue, orderedCards } from './verify-format';

const metricNames: Record<DecisionCard['metric'], string> = {
  'error rate': 'Error rate',
  'latency shift': 'Latency shift',
  'p95 latency': 'p95 latency',
  'slowest answer': 'Slowest answer',
  health: 'Health',
  restarts: 'Restarts',
  cpu: 'CPU',
  memory: 'Memory',
  'error lines': 'Error lines',
};
const verdictLabels: Record<VerdictState, string> = {
  pass: 'Pass',
  fail: 'Fail',
  inconclusive: 'Inconclusive',
  error: 'Error',
};

/** What a card's action means here: done by Shipdeck, still to come, or (advisory) what it would have done. */
function actionText(card: DecisionCard, mode: CardsMode): string | undefined {
  if (mode.advisory)
    return { none: undefined, rollback: 'would roll back', ask: 'would ask a person', wait: 'would wait for samples' }[
      card.action
    ];
  if (card.action === 'rollback' && mode.acted === 'rolled-back') return 'Shipdeck rolled back';
  if (card.action === 'ask' && mode.acted === 'asked') return 'Shipdeck asks you';
  if (card.action === 'wait' && mode.acted) return 'still open when Shipdeck acted';
  return { none: undefined, rollback: 'rolls back', ask: 'asks a person', wait: 'needs more samples' }[card.action];
}

interface CardsMode {
  /** Judged again with other thresholds: nothing was done. */
  readonly advisory?: boolean;
  readonly acted?: VerificationRecord['acted'];
}

/** The decision cards of one judgement, as a list. */
export function DecisionCards({ judgement, label, ...mode }: { judgement: Judgement; label: string } & CardsMode) {
  const cards = orderedCards(judgement.cards);
  if (cards.length === 0) return <p className="muted small">No rule has been judged yet.</p>;
  return (
    <ul className="decision-cards" aria-label={label}>
      {cards.map((card) => (
        <Card key={card.metric} card={card} mode={mode} />
      ))}
    </ul>
  );
}

function Card({ card, mode }: { card: DecisionCard; mode: CardsMode }) {
  const action = actionText(card, mode);
  const byItself = !mode.advisory && card.action === 'rollback' && mode.acted === 'rolled-back';
  const facts = (
    <dl className="card-facts">
      <dt>New</dt>
      <dd>{card.candidate}</dd>
      {card.baseline !== undefined && (
        <>
          <dt>Baseline</dt>
          <dd>{card.baseline}</dd>
        </>
      )}
      {card.test && (
        <>
          <dt>Test</dt>
          <dd>{card.test}</dd>
        </>
      )}
      {card.pValue !== undefined && (
        <>
          <dt>p-value</dt>
          <dd className="num">{formatPValue(card.pValue)}</dd>
        </>
      )}
      {card.interval && (
        <>
          <dt>Interval</dt>
          <dd className="num">{formatInterval(card.interval)}</dd>
        </>
      )}
      <dt>Threshold</dt>
      <dd>{card.threshold}</dd>
      <dt>Samples</dt>
      <dd className="num">
        new {card.samples.candidate}
        {card.samples.baseline > 0 && <> · baseline {card.samples.baseline}</>} · {card.samples.needed} needed
      </dd>
    </dl>
  );
  return (
    <li className={`decision-card verdict-${card.verdict}${byItself ? ' acted' : ''}`} aria-label={card.metric}>
      <div className="card-head">
        <span className="card-metric">{metricNames[card.metric]}</span>
        <span className={`verdict verdict-${card.verdict}`} data-testid="verdict">
          {verdictLabels[card.verdict]}
        </span>
        {action && <span className={`card-action action-${card.action}`}>{action}</span>}
      </div>
      {byItself && (
        <p className="card-acted">
          <strong>Shipdeck rolled back by itself</strong> because of this rule; no one had to click Rollback.
        </p>
      )}
      <p className="card-reason">{card.reason}</p>
      {card.verdict === 'pass' ? (
        <details className="card-more">
          <summary>Values, test and threshold</summary>
          {facts}
        </details>
      ) : (
        facts
      )}
    </li>
  );
}
