// The dispatcher of a fanned-out run's chunks: an asynchronous invoke of the function itself per chunk. moto's Lambda
// runs an invoked function only inside Docker, which this machine does not have, so the client is mocked
// (aws-sdk-client-mock): what is checked is the request sent and how the answer is read.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { chunkEvent, lambdaDispatcher } from '../../server/utils/aws/lambda-invoke'
import { classifyLambdaEvent } from '../../server/utils/lambda-event'

describe('lambdaDispatcher', () => {
  it('invokes the function asynchronously with the chunk\'s event, which the Lambda entry reads as that chunk', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    const mock = mockClient(client)
    mock.on(InvokeCommand).resolves({ StatusCode: 202 })
    await lambdaDispatcher('ouroboros', 'eu-west-1', client)({ eventId: 'run-1', chunk: 4 })

    const [call] = mock.commandCalls(InvokeCommand)
    expect(call!.args[0].input).toMatchObject({ FunctionName: 'ouroboros', InvocationType: 'Event' })
    const sent = JSON.parse(new TextDecoder().decode(call!.args[0].input.Payload as Uint8Array))
    expect(sent).toEqual(chunkEvent('run-1', 4))
    expect(classifyLambdaEvent(sent)).toEqual({ type: 'chunk', payload: { eventId: 'run-1', chunk: 4 } })
  })

  it('throws when Lambda did not queue the invocation, so the run\'s redelivery starts the chunk again', async () => {
    const client = new LambdaClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    mockClient(client).on(InvokeCommand).resolves({ StatusCode: 200 })
    await expect(lambdaDispatcher('ouroboros', 'eu-west-1', client)({ eventId: 'run-1', chunk: 0 })).rejects.toThrow(/did not queue chunk 0 of run run-1/)
  })
})
