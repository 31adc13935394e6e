import { useState } from 'react';

const MAX_CHARS = 280;
const MAX_LINES = 8;

/** A string shown whole when short; folded to its beginning with a "show all" when long. */
export function FoldedText({ text, className }: { text: string; className?: string }) {
  const [open, setOpen] = useState(false);
  const lines = text.split('\n');
  const long = text.length > MAX_CHARS || lines.length > MAX_LINES;
  if (!long) return <span className={className}>{text}</span>;
  const shown = open ? text : lines.slice(0, MAX_LINES).join('\n').slice(0, MAX_CHARS);
  return (
    <span className={`${className ?? ''} tg-folded`}>
      {shown}
      {open ? null : '…'}
      <button type="button" className="tg-link" onClick={() => setOpen(!open)}>
        {open ? 'fold' : `show all (${text.length.toLocaleString('en-US')} chars)`}
      </button>
    </span>
  );
}
