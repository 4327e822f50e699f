import { useEffect, useRef } from 'react';
import { knownEnvironments, type Server } from '../../../shared/server';
import { isFilterEmpty, useFleetFilter } from '../stores/fleet-filter-store';

/** Narrow the fleet by environment, label and text. */
export function FleetFilters({ servers, shown }: { servers: readonly Server[]; shown: number }) {
  const filter = useFleetFilter();
  const input = useRef<HTMLInputElement>(null);
  const environments = [...new Set([...knownEnvironments, ...servers.map((s) => s.environment).filter(Boolean)])];
  const labels = [...new Set(servers.flatMap((s) => s.labels))].sort();

  useEffect(() => {
    if (!filter.wantsFocus) return;
    input.current?.focus();
    filter.focused();
  }, [filter]);

  return (
    <div className="filters" role="search" aria-label="Filter the fleet">
      <input
        ref={input}
        type="search"
        className="filter-text"
        aria-label="Filter servers"
        placeholder="Filter by name, host, label…   ( / )"
        value={filter.text}
        onChange={(e) => filter.setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter.text) {
            e.preventDefault();
            filter.setText('');
          }
        }}
      />
      <div className="chips" role="group" aria-label="Environment">
        <button className="chip" aria-pressed={filter.environment === null} onClick={() => filter.setEnvironment(null)}>
          All
        </button>
        {environments.map((env) => (
          <button
            key={env}
            className={`chip chip-${env}`}
            aria-pressed={filter.environment === env}
            onClick={() => filter.setEnvironment(filter.environment === env ? null : env)}
          >
            {env}
          </button>
        ))}
      </div>
      <select
        aria-label="Label"
        className="filter-label"
        value={filter.label ?? ''}
        onChange={(e) => filter.setLabel(e.target.value || null)}
      >
        <option value="">Any label</option>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <span className="muted small" aria-live="polite">
        {shown === servers.length
          ? `${servers.length} ${servers.length === 1 ? 'server' : 'servers'}`
          : `${shown} of ${servers.length} servers`}
      </span>
      {!isFilterEmpty(filter) && (
        <button className="quiet" onClick={filter.clear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
