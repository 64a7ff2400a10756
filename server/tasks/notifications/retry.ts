// Task notifications:retry: send a run's notifications that its deadline left pending. Started by the one-time
// EventBridge schedule the delivery armed (notifications/retry-later.ts) through the Lambda entry; payload { eventId }.
import { z } from 'zod'
import { retryRun } from '../../utils/notifications/deliver'

const PayloadSchema = z.object({ eventId: z.string().min(1).max(256) })

export default defineTask({
  meta: { name: 'notifications:retry', description: 'Send the notifications of a run that its deadline left pending' },
  async run({ payload }) {
    const parsed = PayloadSchema.safeParse(payload)
    if (!parsed.success) throw new Error(`notifications:retry: invalid payload: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    const [{ delivery }, { logs }] = await Promise.all([useNotifications(), useServices()])
    return { result: { deliveries: await retryRun(delivery, logs, parsed.data.eventId) } }
  },
})
