/**
 * VERIFY in the run view: how far sampling got, the new release against its
 * baseline in live charts, the decision cards, and what Shipdeck did about
 * them; in a finished run, the same samples judged again with other thresholds.
 */
import type { RunRecord, VerificationRecord } from '../../../shared/run';
import type { Comparison, Judgement, Role, Sample } from '../../../shared/verify';
import { rereadSamples, samplesKept, useVerify, verifySamples } from '../stores/verify-store';
import { DecisionCards } from './decision-cards';
import { JudgeAgain } from './judge-again';
import { ProblemNotice } from '../common/problem-notice';
import { ErrorRateChart, LatencyChart, ResourceChart, type BothSeries, type ChartNames } from './verify-charts';
import { recentRate, roleSeries, sufficiency } from './verify-series';

/** How the baseline compares, said plainly: side by side is the strong comparison. */
export const comparisonLabels: Record<Comparison, string> = {
  concurrent: 'side by side (old and new at the same time)',
  'before-after': 'before/after — the weaker comparison',
};

const stateLabels: Record<VerificationRecord['state'], string> = {
  baseline: 'Measuring the baseline',
  sampling: 'Sampling the new release',
  decided: 'Decided',
};

let cache: { version: number; series: BothSeries } | undefined;

/** The charts' series for the store's version: computed once per version, however many charts read it. */
function seriesAt(version: number): BothSeries {
  if (cache?.version !== version) {
    const { baseline, candidate } = verifySamples();
    cache = { version, series: { baseline: roleSeries(baseline), candidate: roleSeries(candidate) } };
  }
  return cache.series;
}

/**
 * The verification of a run whose spec asks for metrics (or that has a verification record).
 * The run view says whether the run is live and which release is the baseline, so verify needs nothing of runs/.
 */
export function VerifyPanel({ record, live, baseline }: { record: RunRecord; live: boolean; baseline: string }) {
  const version = useVerify((s) => s.version);
  const loading = useVerify((s) => s.loading);
  const problem = useVerify((s) => s.problem);
  const dropped = useVerify((s) => s.dropped);
  const verification = record.verification;
  const series = seriesAt(version);
  const names: ChartNames = { baseline, candidate: record.version };
  const thresholds = verification?.thresholds ?? record.spec.verification?.thresholds;
  const samples = verifySamples();

  return (
    <section role="region" className="verify" aria-label="Verification">
      <div className="verify-head">
        <h3>Verification</h3>
        <span className={`verify-state verify-state-${verification?.state ?? 'waiting'}`} data-testid="verify-state">
          {verification
            ? stateLabels[verification.state]
            : samples.baseline.length > 0
              ? 'Baseline measured'
              : live
                ? 'Not started'
                : 'Not measured'}
        </span>
      </div>
      {verification && (
        <p className={`comparison comparison-${verification.comparison}`} data-testid="comparison">
          Baseline compared {comparisonLabels[verification.comparison]}
        </p>
      )}
      <VerifySummary record={record} baseline={baseline} verification={verification} />
      {problem && (
        <div className="verify-problem">
          <ProblemNotice problem={problem} title="Could not read the run's samples" />
          <button className="small-button" onClick={rereadSamples}>
            Read them again
          </button>
        </div>
      )}
      <SampleMeter record={record} live={live} baseline={baseline} verification={verification} samples={samples} />
      {loading && (
        <p className="muted small" role="status">
          Reading the samples…
        </p>
      )}
      {(dropped.baseline > 0 || dropped.candidate > 0) && (
        <p className="muted small">
          The charts show the newest {samplesKept.toLocaleString('en')} samples of each release (
          {(dropped.baseline + dropped.candidate).toLocaleString('en')} older ones left out); the cards judge them all.
        </p>
      )}
      <div className="verify-charts">
        <LatencyChart series={series} names={names} />
        <ErrorRateChart series={series} names={names} {...(thresholds ? { thresholds: thresholds.errorRate } : {})} />
        <ResourceChart series={series} names={names} what="cpu" />
        <ResourceChart series={series} names={names} what="memory" />
      </div>
      <h4 className="cards-head">Decision cards</h4>
      {verification?.judgement ? (
        <DecisionCards
          judgement={verification.judgement}
          label="Decision cards"
          {...(verification.acted ? { acted: verification.acted } : {})}
        />
      ) : (
        <p className="muted small">The cards appear once VERIFY judges the first samples.</p>
      )}
      {verification && !live && <JudgeAgain key={record.id} record={record} thresholds={verification.thresholds} />}
    </section>
  );
}

/** What the judgement says, and what Shipdeck did about it: loud when it rolled back by itself. */
function VerifySummary({
  record,
  baseline,
  verification,
}: {
  record: RunRecord;
  baseline: string;
  verification: VerificationRecord | undefined;
}) {
  const judgement = verification?.judgement;
  if (!verification || !judgement) return null;
  const deciding =
    judgement.cards.find((c) => c.action === 'rollback') ?? judgement.cards.find((c) => c.action === 'ask');
  switch (verification.acted) {
    case 'rolled-back':
      return (
        <div className="verify-summary bad" role="alert" data-testid="verify-summary">
          <strong>Shipdeck rolled back by itself</strong> to {baseline}
          {deciding ? (
            <>
              {' '}
              because the <em>{deciding.metric}</em> rule failed: {deciding.reason}
            </>
          ) : (
            <>: {judgement.reason}</>
          )}
        </div>
      );
    case 'asked':
      return (
        <div className="verify-summary warn" role="status" data-testid="verify-summary">
          <strong>Shipdeck paused and asks you to decide:</strong> {judgement.reason}
        </div>
      );
    case 'confirmed':
      return (
        <div className="verify-summary ok" role="status" data-testid="verify-summary">
          <strong>Shipdeck confirmed {record.version} by itself:</strong> {judgement.reason}
        </div>
      );
    default:
      return (
        <p className={`verify-summary ${toneOf(judgement)}`} role="status" data-testid="verify-summary">
          {summaryOf(judgement)}
        </p>
      );
  }
}

function toneOf(judgement: Judgement): string {
  return { pass: 'ok', rollback: 'bad', ask: 'warn', wait: 'muted' }[judgement.decision];
}

function summaryOf(judgement: Judgement): string {
  switch (judgement.decision) {
    case 'wait':
      return `So far: ${judgement.reason}`;
    case 'pass':
      return `Every rule passes so far.`;
    case 'rollback':
      return `A rule says roll back: ${judgement.reason}`;
    case 'ask':
      return `A person must decide: ${judgement.reason}`;
  }
}

/** Samples gathered against samples needed, per release, with how long the rest takes at the current rate. */
function SampleMeter({
  record,
  live,
  baseline,
  verification,
  samples,
}: {
  record: RunRecord;
  live: boolean;
  baseline: string;
  verification: VerificationRecord | undefined;
  samples: { readonly baseline: readonly Sample[]; readonly candidate: readonly Sample[] };
}) {
  const needed = verification?.needed ?? record.spec.verification?.verify.minSamples ?? 0;
  const probes = (role: Role) => samples[role].filter((s) => s.kind === 'http');
  const rows: { role: Role; name: string; gathered: number }[] = [
    {
      role: 'baseline',
      name: `Baseline ${baseline}`,
      gathered: verification?.baselineSamples ?? probes('baseline').length,
    },
    {
      role: 'candidate',
      name: `New ${record.version}`,
      gathered: verification?.candidateSamples ?? probes('candidate').length,
    },
  ];
  const sampling = verification?.state !== 'decided' && live;
  return (
    <div className="sample-meter" aria-label="Samples gathered">
      {rows.map((row) => {
        const s = sufficiency(
          row.gathered,
          needed,
          sampling ? recentRate(probes(row.role).map((p) => p.t)) : undefined,
        );
        const text = s.enough
          ? `${s.gathered} of ${s.needed} needed: enough`
          : `${s.gathered} of ${s.needed} needed${s.etaSeconds !== undefined ? `: about ${s.etaSeconds} s more` : ''}`;
        return (
          <div key={row.role} className={`meter-row meter-${row.role}${s.enough ? ' enough' : ''}`}>
            <span className="meter-name">{row.name}</span>
            <span
              className="bar"
              role="meter"
              aria-label={`${row.name} samples`}
              aria-valuemin={0}
              aria-valuemax={s.needed}
              aria-valuenow={Math.min(s.gathered, s.needed)}
              aria-valuetext={text}
            >
              <span className="bar-fill" style={{ width: `${s.share * 100}%` }} />
            </span>
            <span className="meter-count num" data-testid={`samples-${row.role}`}>
              {text}
            </span>
          </div>
        );
      })}
    </div>
  );
}
