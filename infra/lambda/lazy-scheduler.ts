// Lambda build only: @aws-sdk/client-scheduler, loaded on first use (see lazy-sdk.ts).
import { lazySdk } from './lazy-sdk'

const sdk = lazySdk(() => import('#aws-sdk/client-scheduler'))
export const SchedulerClient = sdk.client('SchedulerClient')
export const CreateScheduleCommand = sdk.command('CreateScheduleCommand')
export const CreateScheduleGroupCommand = sdk.command('CreateScheduleGroupCommand')
export const DeleteScheduleCommand = sdk.command('DeleteScheduleCommand')
export const GetScheduleCommand = sdk.command('GetScheduleCommand')
export const GetScheduleGroupCommand = sdk.command('GetScheduleGroupCommand')
export const ListSchedulesCommand = sdk.command('ListSchedulesCommand')
export const UpdateScheduleCommand = sdk.command('UpdateScheduleCommand')
