// Task logs:follow-up: the follow-up check of a run whose databases were still stopping or starting when it ended; reads
// their states and completes its log. Started by its one-time EventBridge schedule through the Lambda entry; the
// payload is { eventId }.
import { z } from 'zod'

const PayloadSchema = z.object({ eventId: z.string().min(1).max(256) })

export default defineTask({
  meta: { name: 'logs:follow-up', description: 'Complete a run\'s log with the final state of its databases still stopping or starting' },
  async run({ payload }) {
    const parsed = PayloadSchema.safeParse(payload)
    if (!parsed.success) throw new Error(`logs:follow-up: invalid payload: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    const { runFollowUp } = await import('../../utils/executor/follow-up')
    return { result: await runFollowUp(await useExecutorDeps(), parsed.data.eventId) }
  },
})
