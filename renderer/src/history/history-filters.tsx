import { useEffect, useRef } from 'react';
import { changeClasses } from '../../../shared/checklist';
import type { RunSummary } from '../../../shared/run';
import { isFilterEmpty, outcomeLabels, outcomes, personOf } from '../stores/history-filter';
import { useHistory } from '../stores/history-store';
import { isTyping } from '../common/is-typing';

/** History's filter bar: service, environment, class, outcome, dates, person, and a search box (`/` focuses it). */
export function HistoryFilters({ runs, shown }: { runs: readonly RunSummary[]; shown: number }) {
  const filter = useHistory((s) => s.filter);
  const change = useHistory((s) => s.change);
  const clear = useHistory((s) => s.clear);
  const search = useRef<HTMLInputElement>(null);
  const services = distinct(runs.map((r) => r.service));
  const environments = distinct(runs.map((r) => r.environment));
  const people = distinct(runs.map(personOf));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (
        event.key !== '/' ||
        event.ctrlKey ||
        event.metaKey ||
        event.altKey ||
        isTyping(event.target) ||
        document.querySelector('dialog[open]')
      )
        return;
      event.preventDefault();
      search.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="filters history-filters" role="search" aria-label="Filter the history">
      <input
        ref={search}
        type="search"
        className="filter-text"
        aria-label="Search runs"
        placeholder="Search service, version, notes, person, run id…   ( / )"
        value={filter.search}
        onChange={(e) => change({ search: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter.search) {
            e.preventDefault();
            change({ search: '' });
          }
        }}
      />
      <Choice
        label="Service"
        any="Any service"
        value={filter.service}
        options={services.map((s) => [s, s])}
        onChange={(service) => change({ service })}
      />
      <Choice
        label="Environment"
        any="Any environment"
        value={filter.environment}
        options={environments.map((e) => [e, e])}
        onChange={(environment) => change({ environment })}
      />
      <Choice
        label="Class"
        any="Any class"
        value={filter.class}
        options={changeClasses.map((c) => [c, c])}
        onChange={(cls) => change({ class: cls })}
      />
      <Choice
        label="Outcome"
        any="Any outcome"
        value={filter.outcome}
        options={outcomes.map((o) => [o, outcomeLabels[o]])}
        onChange={(outcome) => change({ outcome })}
      />
      <Choice
        label="Person"
        any="Anyone"
        value={filter.person}
        options={people.map((p) => [p, p])}
        onChange={(person) => change({ person })}
      />
      <label className="history-date">
        <span className="muted small">From</span>
        <input
          type="date"
          aria-label="From"
          value={filter.from}
          max={filter.to || undefined}
          onChange={(e) => change({ from: e.target.value })}
        />
      </label>
      <label className="history-date">
        <span className="muted small">To</span>
        <input
          type="date"
          aria-label="To"
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => change({ to: e.target.value })}
        />
      </label>
      <span className="muted small" aria-live="polite" data-testid="history-count">
        {shown === runs.length
          ? `${runs.length} ${runs.length === 1 ? 'run' : 'runs'}`
          : `${shown} of ${runs.length} runs`}
      </span>
      {!isFilterEmpty(filter) && (
        <button className="quiet" onClick={clear}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function Choice({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}) {
  // A value kept from an earlier session that no run has any more still shows, so it can be seen and cleared.
  const shown = value && !options.some(([v]) => v === value) ? [...options, [value, value] as const] : options;
  return (
    <select aria-label={label} className="filter-label" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{any}</option>
      {shown.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));
}
