import { defineTool } from '@taskgraph/patterns';
import { z } from 'zod';

export interface Invoice {
  id: string;
  customer: string;
  lines: Array<{ item: string; amount: number }>;
  /** What the invoice says it totals, tax included. */
  total: number;
  taxRate: number;
}

/** The batch to validate: INV-1002's total does not match its lines. */
export const INVOICES: Invoice[] = [
  {
    id: 'INV-1001',
    customer: 'Alder & Co',
    lines: [
      { item: 'consulting, 4 h', amount: 400 },
      { item: 'travel', amount: 60 },
    ],
    total: 552,
    taxRate: 0.2,
  },
  {
    id: 'INV-1002',
    customer: 'Birch Ltd',
    lines: [
      { item: 'licence', amount: 1200 },
      { item: 'support', amount: 300 },
    ],
    total: 1700,
    taxRate: 0.2,
  },
  {
    id: 'INV-1003',
    customer: 'Cedar GmbH',
    lines: [{ item: 'training day', amount: 900 }],
    total: 1071,
    taxRate: 0.19,
  },
];

const round = (n: number) => Math.round(n * 100) / 100;

/** The tool the supervisor validates an invoice with: do the lines plus tax add up to the total? */
export const checkInvoice = defineTool({
  name: 'check_invoice',
  description:
    'Checks one invoice by id: that its lines plus tax add up to its total. Answers { valid, problem? }.',
  parameters: z.object({ id: z.string().describe('The invoice id, for example INV-1001.') }),
  run: ({ id }) => {
    const invoice = INVOICES.find((candidate) => candidate.id === id);
    if (!invoice) return { valid: false, problem: `no invoice ${id}` };
    const net = invoice.lines.reduce((sum, line) => sum + line.amount, 0);
    const expected = round(net * (1 + invoice.taxRate));
    return expected === invoice.total
      ? { valid: true }
      : { valid: false, problem: `lines plus tax come to ${expected}, the invoice says ${invoice.total}` };
  },
});
