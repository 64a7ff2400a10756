// Task overrides:revert: at the end of an override, gives the instance the state its rules last asked for. Started by
// the revert's one-time EventBridge schedule through the Lambda entry; the payload is { revert, at, executionId }.
import { z } from 'zod'

const PayloadSchema = z.object({ revert: z.string().min(1), at: z.string().min(1), executionId: z.string().min(1).max(256) })

export default defineTask({
  meta: { name: 'overrides:revert', description: 'At the end of an override, give the instance the state its rules last asked for' },
  async run({ payload }) {
    const parsed = PayloadSchema.safeParse(payload)
    if (!parsed.success) throw new Error(`overrides:revert: invalid payload: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    return { result: await runRevert(await useExecutorDeps(), parsed.data) }
  },
})
