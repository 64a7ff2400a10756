// The schedule a rule should have, in one backend-neutral shape, and its fingerprint.
import { createHash } from 'node:crypto'
import type { Rule } from '#shared/schemas/rule'
import type { ServerConfig } from '../config'

export type SchedulerSettings = ServerConfig['scheduler']

export interface DesiredSchedule {
  name: string
  group: string
  expression: string
  timezone: string
  state: 'ENABLED' | 'DISABLED'
  targetArn: string
  roleArn: string
  input: string
  retryAttempts: number
  maxEventAgeSeconds: number
  dlqArn: string
}

/** The payload Scheduler sends to the Lambda; Scheduler fills in the <aws.scheduler.*> placeholders. */
export function executionInput(ruleName: string): string {
  return JSON.stringify({
    kind: 'ouroboros.execute',
    rule: ruleName,
    executionId: '<aws.scheduler.execution-id>',
    scheduledTime: '<aws.scheduler.scheduled-time>',
  })
}

/** The schedule that matches a rule: its expression, zone and state, aimed at the app's Lambda. */
export function desiredSchedule(rule: Rule, settings: SchedulerSettings): DesiredSchedule {
  return {
    name: rule.name,
    group: settings.group,
    expression: rule.scheduleExpression,
    timezone: rule.timezone,
    state: rule.enabled ? 'ENABLED' : 'DISABLED',
    targetArn: settings.targetArn,
    roleArn: settings.roleArn,
    input: executionInput(rule.name),
    retryAttempts: settings.retryAttempts,
    maxEventAgeSeconds: settings.maxEventAgeSeconds,
    dlqArn: settings.dlqArn,
  }
}

/** A stable fingerprint of a schedule: equal schedules have equal hashes. */
export function scheduleHash(schedule: DesiredSchedule): string {
  const fields = Object.keys(schedule).sort().map(k => [k, schedule[k as keyof DesiredSchedule]])
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)
}
