// Task rules:chunk: one chunk of a run that fanned out over many accounts (executor/chunks.ts), in an invocation of its
// own, started asynchronously by the delivery that opened the run's journal; the payload is { eventId, chunk }.
import { z } from 'zod'

const PayloadSchema = z.object({ eventId: z.string().min(1).max(256), chunk: z.number().int().min(0).max(1000) })

export default defineTask({
  meta: { name: 'rules:chunk', description: 'Work one chunk of the accounts of a run that fanned out, and log the run when it is the last' },
  async run({ payload }) {
    const parsed = PayloadSchema.safeParse(payload)
    if (!parsed.success) throw new Error(`rules:chunk: invalid payload: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    return { result: await runChunk(await useExecutorDeps(), parsed.data) }
  },
})
