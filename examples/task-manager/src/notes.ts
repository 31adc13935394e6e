import { defineTool } from '@taskgraph/patterns';
import { z } from 'zod';

/** A small local corpus, so that the research runs offline. */
const NOTES: Record<string, string> = {
  'lake victoria':
    'Lake Victoria: about 68,800 km², the largest lake in Africa. Shores: Uganda, Kenya, Tanzania. Main source of the White Nile.',
  'lake tanganyika':
    'Lake Tanganyika: about 32,900 km², the second largest in Africa and the second deepest lake on Earth (1,470 m). Shores: Tanzania, DR Congo, Burundi, Zambia.',
  'lake malawi':
    'Lake Malawi (Lake Nyasa): about 29,600 km², the third largest in Africa, home to hundreds of cichlid species. Shores: Malawi, Mozambique, Tanzania.',
};

/** The research tool: finds the notes whose title the query names. */
export const searchNotes = defineTool({
  name: 'search_notes',
  description:
    'Searches a small encyclopedia of notes. Input: { "query": "<what to look up>" }. Answers the matching notes.',
  parameters: z.object({ query: z.string().min(1) }),
  run: ({ query }) => {
    const q = query.toLowerCase();
    const hits = Object.entries(NOTES)
      .filter(([title]) => q.includes(title) || title.includes(q))
      .map(([, text]) => text);
    return hits.length > 0 ? hits : [`No notes match "${query}".`];
  },
});
