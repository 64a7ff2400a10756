// Turns a finished API request into its audit record (server/plugins/audit.ts calls this before the answer is sent).
import { getResponseStatus } from 'h3'
import type { H3Event } from 'h3'
import { clientIp, isReadMethod } from '../http/request'
import { changedRule, changedRun, summarizeChange } from './repository'
import type { AuditRecord, AuditRepository } from './repository'

/** Whether a request is a change to audit: an authenticated, successful, non-read /api request. */
export function isAuditable(event: H3Event): boolean {
  return Boolean(event.context.auth)
    && !isReadMethod(event.method)
    && event.path.startsWith('/api/')
    && getResponseStatus(event) < 400
}

/** Writes the audit record of a change that answered `body`. */
export async function recordChange(event: H3Event, access: { audit: AuditRepository, trustProxy: boolean }, body: unknown): Promise<AuditRecord> {
  const who = event.context.auth!
  // The path without its query: nothing a client adds there is copied into the trail.
  const path = event.path.split('?')[0]!
  const route = (event.context.matchedRoute as { path?: string } | undefined)?.path ?? path
  const facts = { method: event.method, route, params: event.context.params ?? {}, body }
  return access.audit.record({
    keyId: who.id,
    keyName: who.name,
    route: `${event.method} ${route}`,
    path,
    status: getResponseStatus(event),
    rule: changedRule(facts),
    summary: summarizeChange(facts),
    runId: changedRun(facts),
    ip: clientIp(event, access.trustProxy),
  })
}
