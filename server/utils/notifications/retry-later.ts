// The path a delivery cut short by the deadline takes, so that it survives the invocation: in AWS a one-time
// EventBridge schedule (`at()`, a minute later, deleted once it has fired, in the reverts' group of one-time
// schedules) that invokes the Lambda with `{ kind: 'ouroboros.notify', eventId }` (task notifications:retry); locally a
// timer in this process. The reconcile sends whatever is still pending after that (deliver.ts, retryPending).
import { createHash } from 'node:crypto'
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler'
import type { SchedulerClient } from '@aws-sdk/client-scheduler'
import { revertExpression } from '../schedules/reverts'
import type { SchedulerSettings } from '../schedules/spec'

/** Sends the pending deliveries of the run `eventId` later. */
export type RetryLater = (eventId: string) => Promise<void>

export const RETRY_DELAY_MS = 60_000

/** `notify-<hash of the run>`: Scheduler's names take [0-9a-zA-Z-_.], 64 at most; an event id may be longer. */
export function notifyScheduleName(eventId: string): string {
  return `notify-${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`
}

/** The payload the Lambda gets for a retry (server/utils/lambda-event.ts). */
export function notifyInput(eventId: string): string {
  return JSON.stringify({ kind: 'ouroboros.notify', eventId })
}

/** One-time schedules aimed at the app's Lambda. A schedule already waiting for the run is kept: it sends them all. */
export function eventBridgeRetryLater(client: SchedulerClient, settings: SchedulerSettings, now: () => Date = () => new Date()): RetryLater {
  return async (eventId) => {
    try {
      await client.send(new CreateScheduleCommand({
        Name: notifyScheduleName(eventId),
        GroupName: settings.revertGroup,
        ScheduleExpression: revertExpression(new Date(now().getTime() + RETRY_DELAY_MS).toISOString()),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: settings.targetArn,
          RoleArn: settings.roleArn,
          Input: notifyInput(eventId),
          RetryPolicy: { MaximumRetryAttempts: settings.retryAttempts, MaximumEventAgeInSeconds: settings.maxEventAgeSeconds },
          ...(settings.dlqArn ? { DeadLetterConfig: { Arn: settings.dlqArn } } : {}),
        },
      }))
    }
    catch (e) {
      if ((e as Error)?.name !== 'ConflictException') throw e
    }
  }
}

/** A timer in this process (unref'd: it never keeps the process alive); one per run at a time. */
export function localRetryLater(fire: (eventId: string) => Promise<unknown>, delayMs = RETRY_DELAY_MS): RetryLater {
  const waiting = new Set<string>()
  return async (eventId) => {
    if (waiting.has(eventId)) return
    waiting.add(eventId)
    const timer = setTimeout(() => {
      waiting.delete(eventId)
      fire(eventId).catch(e => console.warn(`[notifications] retry of run ${eventId} failed: ${(e as Error)?.message ?? e}`))
    }, delayMs)
    timer.unref?.()
  }
}
