import { useMemo, useState } from 'react';

const MAX_MATCHES = 12;

/** Finds a task by id (any part of its path): Enter picks the first match. */
export function SearchBox({ keys, onPick }: { keys: readonly string[]; onPick(key: string): void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q === '') return [];
    const exact = keys.filter((key) => key.toLowerCase().split(' > ').at(-1) === q);
    const rest = keys.filter((key) => key.toLowerCase().includes(q) && !exact.includes(key));
    return [...exact, ...rest].slice(0, MAX_MATCHES);
  }, [keys, query]);
  const pick = (key: string) => {
    onPick(key);
    setOpen(false);
  };
  return (
    <div className="tg-search">
      <input
        type="search"
        placeholder="Search task id…"
        aria-label="Search task by id"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && matches[0] !== undefined) pick(matches[0]);
          if (event.key === 'Escape') setOpen(false);
        }}
      />
      {open && query.trim() !== '' ? (
        <ul className="tg-search-results" aria-label="Tasks found">
          {matches.length === 0 ? <li className="tg-muted">No task matches.</li> : null}
          {matches.map((key) => (
            <li key={key}>
              <button type="button" onMouseDown={(event) => event.preventDefault()} onClick={() => pick(key)}>
                {key}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
