// Lambda build only: @aws-sdk/client-scheduler, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

// Destructured where it is imported, so that Rollup keeps only these of the package in the lazy chunk.
const sdk = lazySdk(async () => {
  const { SchedulerClient, CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, GetScheduleCommand, GetScheduleGroupCommand, ListSchedulesCommand, UpdateScheduleCommand } = await import('#aws-sdk/client-scheduler')
  return { SchedulerClient, CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, GetScheduleCommand, GetScheduleGroupCommand, ListSchedulesCommand, UpdateScheduleCommand }
})
export const SchedulerClient = sdk.client('SchedulerClient')
export const CreateScheduleCommand = sdk.command('CreateScheduleCommand')
export const CreateScheduleGroupCommand = sdk.command('CreateScheduleGroupCommand')
export const DeleteScheduleCommand = sdk.command('DeleteScheduleCommand')
export const GetScheduleCommand = sdk.command('GetScheduleCommand')
export const GetScheduleGroupCommand = sdk.command('GetScheduleGroupCommand')
export const ListSchedulesCommand = sdk.command('ListSchedulesCommand')
export const UpdateScheduleCommand = sdk.command('UpdateScheduleCommand')
