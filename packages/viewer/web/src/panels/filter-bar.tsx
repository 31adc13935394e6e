import type { TaskFilter } from '../model/task-filter.js';
import { isFilterSet } from '../model/task-filter.js';

interface FilterBarProps {
  choices: { status: string[]; kind: string[]; fn: string[] };
  filter: TaskFilter;
  /** How many tasks the filters leave in, and of how many. */
  matching: number;
  total: number;
  onChange(filter: TaskFilter): void;
}

const FIELDS = [
  ['status', 'Status'],
  ['kind', 'Kind'],
  ['fn', 'Function'],
] as const;

/** Filters by status, kind and function: the tasks left out are drawn faint on the graph and timeline. */
export function FilterBar({ choices, filter, matching, total, onChange }: FilterBarProps) {
  return (
    <div className="tg-filters" data-testid="filters">
      {FIELDS.map(([field, label]) => (
        <label key={field}>
          <span className="tg-muted">{label}</span>
          <select
            aria-label={`Filter by ${label.toLowerCase()}`}
            value={filter[field] ?? ''}
            onChange={(event) => {
              const next = { ...filter };
              if (event.target.value === '') delete next[field];
              else next[field] = event.target.value;
              onChange(next);
            }}
          >
            <option value="">all</option>
            {choices[field].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      ))}
      {isFilterSet(filter) ? (
        <span data-testid="filter-count">
          {matching.toLocaleString('en-US')} of {total.toLocaleString('en-US')} match{' '}
          <button type="button" className="tg-link" onClick={() => onChange({})}>
            clear
          </button>
        </span>
      ) : null}
    </div>
  );
}
