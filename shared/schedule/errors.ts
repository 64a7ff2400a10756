/**
 * Thrown when a schedule expression is not valid AWS EventBridge Scheduler syntax.
 * The message is written for a person (it is shown next to the form field as is).
 */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError'
}
