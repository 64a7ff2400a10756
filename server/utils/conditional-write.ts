// DynamoDB's answer to a conditional write whose condition did not hold, as the SDK names it.

/** Whether `e` is a ConditionalCheckFailedException: the condition failed, nothing was written. */
export function isConditionFailure(e: unknown): boolean {
  return (e as Error)?.name === 'ConditionalCheckFailedException'
}
