// The EventBridge Scheduler backend: one schedule per rule in the app's schedule group.
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler'
import type { CreateScheduleCommandInput, GetScheduleCommandOutput, SchedulerClient } from '@aws-sdk/client-scheduler'
import { ScheduleBackendError } from '../errors'
import type { LiveSchedule, ScheduleBackend } from './backend'
import { scheduleHash } from './spec'
import type { DesiredSchedule } from './spec'

const notFound = (e: unknown) => (e as Error)?.name === 'ResourceNotFoundException'

function describeFailure(action: string, name: string, e: unknown): ScheduleBackendError {
  const err = e as Error
  return new ScheduleBackendError(`EventBridge Scheduler could not ${action} the schedule '${name}': ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, e)
}

function toInput(s: DesiredSchedule): CreateScheduleCommandInput {
  return {
    Name: s.name,
    GroupName: s.group,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone,
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: s.state,
    // A one-time at() schedule stays after its run, so the rule shows as completed rather than vanishing.
    ActionAfterCompletion: 'NONE',
    Target: {
      Arn: s.targetArn,
      RoleArn: s.roleArn,
      Input: s.input,
      RetryPolicy: { MaximumRetryAttempts: s.retryAttempts, MaximumEventAgeInSeconds: s.maxEventAgeSeconds },
      ...(s.dlqArn ? { DeadLetterConfig: { Arn: s.dlqArn } } : {}),
    },
  }
}

function fromOutput(out: GetScheduleCommandOutput): DesiredSchedule {
  return {
    name: out.Name ?? '',
    group: out.GroupName ?? '',
    expression: out.ScheduleExpression ?? '',
    timezone: out.ScheduleExpressionTimezone ?? 'UTC',
    state: out.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    targetArn: out.Target?.Arn ?? '',
    roleArn: out.Target?.RoleArn ?? '',
    input: out.Target?.Input ?? '',
    retryAttempts: out.Target?.RetryPolicy?.MaximumRetryAttempts ?? -1,
    maxEventAgeSeconds: out.Target?.RetryPolicy?.MaximumEventAgeInSeconds ?? -1,
    dlqArn: out.Target?.DeadLetterConfig?.Arn ?? '',
  }
}

/** Creates the EventBridge backend over `client` for one schedule group. */
export function createEventBridgeBackend(client: SchedulerClient, group: string): ScheduleBackend {
  let groupReady: Promise<void> | undefined

  // Creating a schedule in a missing group fails, so make sure the group exists first, once per process.
  // Look before creating: moto's CreateScheduleGroup replaces an existing group with an empty one.
  function ensureGroup(): Promise<void> {
    groupReady ??= (async () => {
      try {
        await client.send(new GetScheduleGroupCommand({ Name: group }))
      }
      catch (e) {
        if (!notFound(e)) throw e
        await client.send(new CreateScheduleGroupCommand({ Name: group })).catch((err) => {
          if ((err as Error)?.name !== 'ConflictException') throw err
        })
      }
    })()
    groupReady.catch(() => {
      groupReady = undefined
    })
    return groupReady
  }

  async function create(input: CreateScheduleCommandInput) {
    await ensureGroup()
    try {
      await client.send(new CreateScheduleCommand(input))
    }
    catch (e) {
      if (!notFound(e)) throw e
      // The group was deleted after we saw it: create it again, once.
      groupReady = undefined
      await ensureGroup()
      await client.send(new CreateScheduleCommand(input))
    }
  }

  // The modification time of our own write, read back. If someone changed the schedule in between,
  // answer none, so that the next reconcile reads it in full instead of taking their change for ours.
  async function modifiedAt(written: DesiredSchedule): Promise<string | undefined> {
    const out = await client.send(new GetScheduleCommand({ Name: written.name, GroupName: group }))
    return scheduleHash(fromOutput(out)) === scheduleHash(written) ? out.LastModificationDate?.toISOString() : undefined
  }

  return {
    kind: 'eventbridge',

    async put(schedule, hint) {
      const input = toInput(schedule)
      try {
        if (hint?.exists === false) {
          await create(input)
        }
        else {
          try {
            await client.send(new UpdateScheduleCommand(input))
          }
          catch (e) {
            if (!notFound(e)) throw e
            // No schedule (or no group) yet: create it.
            await create(input)
          }
        }
        return { modifiedAt: await modifiedAt(schedule) }
      }
      catch (e) {
        throw describeFailure('save', schedule.name, e)
      }
    },

    async remove(name) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: group }))
      }
      catch (e) {
        if (notFound(e)) return
        throw describeFailure('delete', name, e)
      }
    },

    async* list(): AsyncGenerator<LiveSchedule> {
      let NextToken: string | undefined
      do {
        let out
        try {
          out = await client.send(new ListSchedulesCommand({ GroupName: group, MaxResults: 100, NextToken }))
        }
        catch (e) {
          // A group that does not exist yet holds no schedules.
          if (notFound(e)) return
          throw describeFailure('list', group, e)
        }
        for (const s of out.Schedules ?? []) {
          yield { name: s.Name!, state: s.State, targetArn: s.Target?.Arn, modifiedAt: s.LastModificationDate?.toISOString() }
        }
        NextToken = out.NextToken
      } while (NextToken)
    },

    async get(name) {
      try {
        return fromOutput(await client.send(new GetScheduleCommand({ Name: name, GroupName: group })))
      }
      catch (e) {
        if (notFound(e)) return null
        throw describeFailure('read', name, e)
      }
    },

    async close() {},
  }
}
