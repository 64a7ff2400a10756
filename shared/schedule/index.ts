// Schedule expressions (AWS EventBridge Scheduler syntax) and the time-zone helpers they rely on.
export * from './expression'
export { ScheduleExpressionError } from './errors'
export {
  formatInZone,
  isValidTimeZone,
  localToUtc,
  resolveLocalTime,
  timeZoneOffsetMs,
  wallClockAt,
} from './timezone'
export type { LocalDateTime, LocalTimeResolution } from './timezone'
