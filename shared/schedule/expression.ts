// Public API for AWS EventBridge Scheduler schedule expressions: parse, validate, evaluate, describe.
export { parseScheduleExpression, scheduleExpressionError, scheduleExpressionIssue } from './parse'
export type { AtSchedule, CronSchedule, RateSchedule, RateUnit, ScheduleSpec } from './parse'
export { nextRuns, nextRunsForSpec } from './next'
export type { NextRunsOptions } from './next'
export { describeSchedule } from './describe'
export type { CronFields, DayOfMonthRule, DayOfWeekRule } from './cron'
