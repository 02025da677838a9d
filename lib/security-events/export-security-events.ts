import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { iterateSecurityEvents } from "./find-security-events";
import type { SecurityEventFilters } from "./security-event-schemas";

/** NDJSON, streamed page by page from the database: one event a line, newest first. */
export async function exportSecurityEventsNdjson({ actor, query }: { actor: Actor; query: SecurityEventFilters & { limit: number } }): Promise<Response> {
  const { limit, ...filters } = query;
  const rows = iterateSecurityEvents({ actor, filters, limit });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const lines: string[] = [];
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (lines.length > 0) controller.enqueue(encoder.encode(lines.join("")));
          controller.close();
          return;
        }
        lines.push(`${JSON.stringify(next.value)}\n`);
      }
      controller.enqueue(encoder.encode(lines.join("")));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "content-disposition": 'attachment; filename="security-events.ndjson"' },
  });
}
