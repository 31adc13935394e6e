import { exportTraceOtlp } from '@taskgraph/otel/otlp';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { printJson } from '../cli-io.js';
import { invalidArgument } from '../invalid-argument.js';
import { readTraceFile } from '../trace-files.js';

const API = 'taskgraph export';

interface ExportFlags {
  otlp?: string;
  header: string[];
  serviceName?: string;
  content?: boolean;
  json?: boolean;
}

export function addExportCommand(program: Command, context: CliContext): void {
  program
    .command('export')
    .description(
      'Sends a saved trace as OpenTelemetry spans over OTLP/HTTP, with the times it recorded: one span for the run and one per task, with GenAI attributes on LLM tasks. Reads only: the file is never changed.',
    )
    .argument('<trace>', 'the trace file')
    .option(
      '--otlp <url>',
      'the OTLP/HTTP traces endpoint (default OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces)',
    )
    .option(
      '--header <name=value>',
      'a header to send, repeatable (OTEL_EXPORTER_OTLP_HEADERS is read too)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--service-name <name>', 'service.name of the spans (default "taskgraph")')
    .option('--content', 'include prompts and replies (gen_ai.input.messages, gen_ai.output.messages)')
    .option('--json', 'print one JSON document: { trace, url, spans, untimed }')
    .addHelpText(
      'after',
      `
Example:
  taskgraph export trace.json --otlp http://localhost:4318/v1/traces
  taskgraph export trace.json --otlp https://cloud.langfuse.com/api/public/otel/v1/traces \\
    --header "Authorization=Basic $(printf %s "$LANGFUSE_PUBLIC_KEY:$LANGFUSE_SECRET_KEY" | base64 -w0)"

Endpoints of common backends: docs/observability.md`,
    )
    .action(async (tracePath: string, flags: ExportFlags) => {
      const url = endpoint(flags.otlp);
      const headers = parseHeaders(flags.header);
      const graph = await readTraceFile(tracePath, API, context.io);
      const sent = await exportTraceOtlp(graph.toJSON(), {
        url,
        headers,
        ...(flags.serviceName === undefined ? {} : { serviceName: flags.serviceName }),
        captureContent: flags.content === true,
      });
      if (flags.json) {
        printJson(context.io, { trace: tracePath, url, ...sent });
        return;
      }
      const untimed =
        sent.untimed > 0
          ? ` (${sent.untimed} task${sent.untimed === 1 ? '' : 's'} that never started ha${sent.untimed === 1 ? 's' : 've'} no span)`
          : '';
      context.io.out(`Sent ${sent.spans} spans of ${tracePath} to ${url}${untimed}.`);
    });
}

function endpoint(flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const traces = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  throw invalidArgument(
    `${API}: no endpoint. Pass --otlp <url> (for example http://localhost:4318/v1/traces) or set OTEL_EXPORTER_OTLP_ENDPOINT.`,
  );
}

function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0) {
      throw invalidArgument(
        `${API}: --header "${value}" is not name=value. Write it as --header "Authorization=Bearer <token>".`,
      );
    }
    headers[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return headers;
}
