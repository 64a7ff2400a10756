// One attempt to deliver a notice to one channel, and what came of it: delivered, worth retrying (a 5xx, a 429, a
// timeout, a network or AWS service failure) or refused for good (another 4xx, a redirect, a URL the guard refuses).
// The SNS and EventBridge clients load here on first use only: most processes never have such a channel.
import type { StoredChannel } from './repository'
import { postOutbound, OutboundRefused } from '../net/outbound'
import type { OutboundOptions } from '../net/outbound'
import { isThrottlingError } from '../aws/retry'
import { describeAwsError } from '../aws/errors'
import { detailTypeOf, signatureOf, slackMessage, teamsMessage, titleOf } from './payloads'
import type { RunNotice } from './payloads'
import { withoutSecrets } from './views'

export interface AttemptResult {
  outcome: 'delivered' | 'retry' | 'refused'
  httpStatus?: number
  /** The start of the receiver's answer. */
  body?: string
  error?: string
}

/** The AWS side of sns and eventbridge channels, injectable for tests. */
export interface AwsSenders {
  publish: (input: { TopicArn: string, Subject: string, Message: string, MessageAttributes: Record<string, { DataType: string, StringValue: string }> }, signal: AbortSignal) => Promise<void>
  putEvents: (input: { Entries: { Source: string, DetailType: string, Detail: string, EventBusName: string, Resources: string[] }[] }, signal: AbortSignal) => Promise<void>
}

export interface SendOptions {
  outbound: OutboundOptions
  timeoutMs: number
  /** The app's region: an EventBridge bus named without an ARN is in it. */
  region: string
  aws?: AwsSenders
}

// What of a refusing receiver's answer is recorded.
const MAX_BODY = 500
const regionOfArn = (arn: string) => arn.split(':')[3] || undefined

/** The real SNS Publish and EventBridge PutEvents, their clients loaded on first use. */
export function awsSenders(region: string): AwsSenders {
  return {
    async publish(input, signal) {
      const [{ useSnsClient }, { PublishCommand }] = await Promise.all([import('../aws/sns'), import('@aws-sdk/client-sns')])
      await useSnsClient(regionOfArn(input.TopicArn) ?? region).send(new PublishCommand(input), { abortSignal: signal })
    },
    async putEvents(input, signal) {
      const [{ useEventBridgeClient }, { PutEventsCommand }] = await Promise.all([import('../aws/eventbridge'), import('@aws-sdk/client-eventbridge')])
      const bus = input.Entries[0]!.EventBusName
      const out = await useEventBridgeClient(bus.startsWith('arn:') ? regionOfArn(bus) ?? region : region).send(new PutEventsCommand(input), { abortSignal: signal })
      if (out.FailedEntryCount) {
        const failed = out.Entries?.find(e => e.ErrorCode)
        throw Object.assign(new Error(`PutEvents refused the event: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`.trim()), { name: failed?.ErrorCode ?? 'PutEventsFailed', $retryable: failed?.ErrorCode === 'ThrottlingException' ? { throttling: true } : undefined })
      }
    },
  }
}

function httpBody(channel: StoredChannel, notice: RunNotice): { headers: Record<string, string>, body: string } {
  if (channel.type === 'slack') return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackMessage(notice)) }
  if (channel.type === 'teams') return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(notice)) }
  const body = JSON.stringify(notice)
  return {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Ouroboros-Notifications',
      'x-ouroboros-event': notice.event,
      'x-ouroboros-delivery': notice.deliveryId,
      'x-ouroboros-signature': signatureOf(channel.secret ?? '', body),
    },
    body,
  }
}

async function sendHttp(channel: StoredChannel, notice: RunNotice, options: SendOptions): Promise<AttemptResult> {
  const { headers, body } = httpBody(channel, notice)
  const answer = await postOutbound(channel.url!, { ...options.outbound, headers, body, timeoutMs: options.timeoutMs, maxBody: MAX_BODY })
  const text = withoutSecrets(answer.body, channel)
  if (answer.status >= 200 && answer.status < 300) return { outcome: 'delivered', httpStatus: answer.status, body: text }
  if (answer.status === 429 || answer.status >= 500) return { outcome: 'retry', httpStatus: answer.status, body: text, error: `the receiver answered ${answer.status}` }
  const why = answer.status >= 300 && answer.status < 400 ? 'a redirect, which is not followed' : 'refused'
  return { outcome: 'refused', httpStatus: answer.status, body: text, error: `the receiver answered ${answer.status} (${why})${text ? `: ${text}` : ''}` }
}

async function sendAws(channel: StoredChannel, notice: RunNotice, options: SendOptions): Promise<AttemptResult> {
  const aws = options.aws ?? awsSenders(options.region)
  const signal = AbortSignal.timeout(options.timeoutMs)
  const detail = JSON.stringify(notice)
  if (channel.type === 'sns') {
    await aws.publish({
      TopicArn: channel.topicArn!,
      Subject: titleOf(notice).slice(0, 100),
      Message: detail,
      MessageAttributes: {
        status: { DataType: 'String', StringValue: notice.status },
        rule: { DataType: 'String', StringValue: notice.rule || '-' },
        event: { DataType: 'String', StringValue: notice.event },
      },
    }, signal)
  }
  else {
    await aws.putEvents({ Entries: [{ Source: 'ouroboros', DetailType: detailTypeOf(notice), Detail: detail, EventBusName: channel.busName ?? 'default', Resources: [] }] }, signal)
  }
  return { outcome: 'delivered' }
}

function failureOf(error: unknown, channel: StoredChannel): AttemptResult {
  if (error instanceof OutboundRefused) return { outcome: 'refused', error: error.message }
  const e = error as { name?: string, $metadata?: { httpStatusCode?: number }, $fault?: string }
  const status = e.$metadata?.httpStatusCode
  const text = withoutSecrets(e.$metadata ? describeAwsError(error) : (error as Error)?.message ?? String(error), channel)
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { outcome: 'retry', error: `timed out: ${text}` }
  if (e.$metadata && !(isThrottlingError(error) || e.$fault === 'server' || (status ?? 0) >= 500)) return { outcome: 'refused', httpStatus: status, error: text }
  // A network failure, an AWS server fault or a throttle: worth another try.
  return { outcome: 'retry', ...(status ? { httpStatus: status } : {}), error: text }
}

/** One attempt; never throws. */
export async function attemptDelivery(channel: StoredChannel, notice: RunNotice, options: SendOptions): Promise<AttemptResult> {
  try {
    return channel.type === 'sns' || channel.type === 'eventbridge'
      ? await sendAws(channel, notice, options)
      : await sendHttp(channel, notice, options)
  }
  catch (error) {
    return failureOf(error, channel)
  }
}
