import type { LiveRun } from '../live-run.js';

/** The replay's events as they arrive, newest first. */
export function ActivityLog({ live, onSelect }: { live: LiveRun; onSelect(key: string): void }) {
  const lines = [...live.log].reverse();
  return (
    <div className="tg-detail" data-testid="activity-log">
      <header className="tg-detail-header">
        <h2>Activity</h2>
        <p className="tg-muted">
          {live.running ? 'A replay is running.' : 'Events of the replays of this session.'}
        </p>
      </header>
      {lines.length === 0 ? <p className="tg-muted">No replay yet.</p> : null}
      <ol className="tg-log">
        {lines.map((line) => (
          <li key={line.n} className={`log-${line.status}`} data-task={line.key || undefined}>
            {line.key ? (
              <button type="button" className="tg-link" onClick={() => onSelect(line.key)}>
                {line.text}
              </button>
            ) : (
              line.text
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
