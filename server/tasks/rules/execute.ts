// Task rules:execute: runs one rule now. Started by EventBridge Scheduler (through the Lambda entry),
// by the local scheduler, or by a manual run; the payload is { rule, executionId?, scheduledTime?, trigger?, dryRun? }.
import { ExecutionPayloadSchema } from '#shared/schemas/execution'

export default defineTask({
  meta: {
    name: 'rules:execute',
    description: 'Start or stop the EC2 instances of one rule, verify them, and log the run once per executionId',
  },
  async run({ payload }) {
    const parsed = ExecutionPayloadSchema.safeParse(payload)
    if (!parsed.success) {
      const issues = fieldIssues(parsed.error).map(i => (i.path ? `${i.path}: ${i.message}` : i.message))
      throw new Error(`rules:execute: invalid payload: ${issues.join('; ')}`)
    }
    const result = await executeRule(await useExecutorDeps(), parsed.data)
    return { result }
  },
})
