import { formatUsage, ratioOf } from './format';

/** Used of total: the share as a number and a bar, the amounts below it. */
export function UsageBar({
  used,
  total,
  warnAt,
  badAt,
  what,
}: {
  used: number;
  total: number;
  warnAt: number;
  badAt: number;
  what: string;
}) {
  const ratio = ratioOf(used, total);
  const level = ratio >= badAt ? 'bad' : ratio >= warnAt ? 'warn' : 'ok';
  const percent = Math.round(ratio * 100);
  return (
    <div className={`usage usage-${level}`} title={`${what}: ${percent}% used`}>
      <div className="usage-top">
        <span className="usage-percent">{percent}%</span>
        <span className="bar" aria-hidden="true">
          <span className="bar-fill" style={{ width: `${ratio * 100}%` }} />
        </span>
      </div>
      <span className="usage-amounts">{formatUsage(used, total)}</span>
    </div>
  );
}
