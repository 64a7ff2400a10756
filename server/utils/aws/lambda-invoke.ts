// Starting a chunk of a fanned-out run (executor/chunks.ts) in an invocation of this same function: an asynchronous
// Lambda invoke (InvocationType Event), so Lambda queues it, retries it on failure and sends it to the on-failure
// destination at last, as it does the schedules' invocations. The SDK loads with the first run that fans out.
import type { LambdaClient } from '@aws-sdk/client-lambda'
import { AWS_RETRY_SETTINGS } from './credentials'

/** The event of one chunk, as the Lambda entry reads it (lambda-event.ts). */
export const chunkEvent = (eventId: string, chunk: number) => ({ kind: 'ouroboros.chunk', eventId, chunk })

/** A dispatcher that invokes `functionName` asynchronously with each chunk's event; `client` for tests. */
export function lambdaDispatcher(functionName: string, region: string, client?: LambdaClient) {
  let lambda: Promise<{ client: LambdaClient, InvokeCommand: typeof import('@aws-sdk/client-lambda').InvokeCommand }> | undefined
  const load = () => (lambda ??= import('@aws-sdk/client-lambda').then(sdk => ({
    client: client ?? new sdk.LambdaClient({ region, ...AWS_RETRY_SETTINGS }),
    InvokeCommand: sdk.InvokeCommand,
  })))
  return async ({ eventId, chunk }: { eventId: string, chunk: number }): Promise<void> => {
    const { client: c, InvokeCommand } = await load()
    const out = await c.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(chunkEvent(eventId, chunk))) }))
    // An accepted asynchronous invocation answers 202; anything else did not queue the chunk.
    if (out.StatusCode !== 202) throw new Error(`Lambda did not queue chunk ${chunk} of run ${eventId} (status ${out.StatusCode})`)
  }
}
