import type { ApiError } from '../../../src/api-types.js';

/** Why the trace cannot be shown: the error's code and message, and for an invalid trace its JSON path. */
export function ErrorPage({ error, tracePath }: { error: ApiError; tracePath: string | undefined }) {
  return (
    <main className="tg-error-page" data-testid="error-page">
      <h1>This trace cannot be shown</h1>
      {tracePath ? <p className="tg-muted">{tracePath}</p> : null}
      <p className="tg-error-code">{error.code}</p>
      {error.path ? (
        <p className="tg-error-path">
          The problem is at <code data-testid="error-path">{error.path}</code>
        </p>
      ) : null}
      <pre className="tg-error-message">{error.message}</pre>
      <p>Fix the file, then reload this page.</p>
      <button type="button" className="tg-primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </main>
  );
}
