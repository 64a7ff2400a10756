// Types of scripts/redrive-lib.mjs, for the tests.
export interface QueueMessage {
  Body?: string
  MessageAttributes?: Record<string, { StringValue?: string }>
}
export interface Payload { kind: string, rule?: string, executionId?: string, scheduledTime?: string }
export function readMessage(message: QueueMessage): { payload: Payload | null, why: string }
export function describePayload(payload: Payload): string
export function receiveArgs(settings: { region?: string | null, profile?: string }, queueUrl: string): string[]
export function invokeArgs(settings: { region?: string | null, profile?: string }, functionName: string, payloadFile: string, outFile: string): string[]
export function deleteArgs(settings: { region?: string | null, profile?: string }, queueUrl: string, receiptHandle: string): string[]
