// An in-memory stand-in for the limits table that applies each of the token bucket's writes atomically, as
// DynamoDB does per item, and lets a test decide in which order concurrent writes reach it.
//
// Why not moto: moto's UpdateItem checks the condition and writes without a lock, so two concurrent conditional
// writes that create one item can both pass (see docs/ARCHITECTURE.md, "What moto cannot show"). Only a store that
// is atomic per item can prove the limiter exact; this one runs the limiter's real code.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

type Item = Record<string, number | string>
type Values = Record<string, number>

class ConditionalCheckFailedException extends Error {
  override name = 'ConditionalCheckFailedException'
}

// The limiter's writes, by their condition. An expression the limiter starts to send that is not here fails loudly,
// so this stand-in cannot silently drift from the code under test.
const UPDATES: Record<string, { when: (tat: number | undefined, v: Values) => boolean, next: (tat: number | undefined, v: Values) => number }> = {
  'tat > :now AND tat <= :limit': {
    when: (tat, v) => tat !== undefined && tat > v[':now']! && tat <= v[':limit']!,
    next: (tat, v) => tat! + v[':interval']!,
  },
  'attribute_not_exists(tat) OR tat <= :now': {
    when: (tat, v) => tat === undefined || tat <= v[':now']!,
    next: (_tat, v) => v[':next']!,
  },
}

interface Pending {
  apply: () => void
}

/**
 * The stand-in: `doc` is what the limiter sends to; `held` writes wait in `pending` until `step(i)` applies one.
 * With `held` false every write applies at once, in the order sent. With `split`, a write checks its condition in
 * one step and writes in a later one, as moto's UpdateItem does without a lock: the race the limiter cannot survive.
 */
export function limitsStore(options: { held?: boolean, split?: boolean } = {}) {
  const items = new Map<string, Item>()
  const pending: Pending[] = []
  let sent = 0

  function execute(command: unknown, split = false): unknown {
    if (command instanceof GetCommand) {
      const item = items.get(command.input.Key!.pk as string)
      return { Item: item ? { ...item } : undefined }
    }
    if (command instanceof UpdateCommand) {
      const { Key, ConditionExpression, ExpressionAttributeValues, ReturnValues } = command.input
      const rule = UPDATES[ConditionExpression ?? '']
      if (!rule) throw new Error(`limitsStore does not know the condition ${ConditionExpression}`)
      const pk = Key!.pk as string
      const values = ExpressionAttributeValues as Values
      const tat = items.get(pk)?.tat as number | undefined
      if (!rule.when(tat, values)) throw new ConditionalCheckFailedException('The conditional request failed')
      const write = () => {
        const next = rule.next(items.get(pk)?.tat as number | undefined, values)
        items.set(pk, { pk, tat: next, expiresAt: values[':expires']! })
        return ReturnValues === 'UPDATED_NEW' ? { Attributes: { tat: next, expiresAt: values[':expires'] } } : {}
      }
      if (!split) return write()
      return new Promise(resolve => pending.push({ apply: () => resolve(write()) }))
    }
    throw new Error(`limitsStore cannot answer ${(command as object)?.constructor?.name}`)
  }

  const doc = {
    send(command: unknown) {
      sent++
      if (!options.held) return Promise.resolve().then(() => execute(command))
      return new Promise((resolve, reject) => {
        pending.push({
          apply: () => {
            try {
              resolve(execute(command, options.split))
            }
            catch (e) {
              reject(e)
            }
          },
        })
      })
    },
  } as unknown as DynamoDBDocumentClient

  return {
    doc,
    items,
    pending,
    /** How many commands were sent so far. */
    sent: () => sent,
    /** Applies the i-th waiting write (or read) atomically and lets its caller go on. */
    step(i: number) {
      const [op] = pending.splice(i, 1)
      op!.apply()
    },
  }
}

/** Lets every promise chain that can move on do so, so that all callers have sent their next command. */
export const settle = () => new Promise<void>(resolve => setImmediate(resolve))

/**
 * Runs `scenario` once for every order in which its concurrent store calls can be applied (depth first over
 * the choice of the next pending call). `scenario` gets a fresh held store and answers its outcome; answers
 * every outcome with the number of orders explored.
 */
export async function everyInterleaving<T>(scenario: (store: ReturnType<typeof limitsStore>) => { start: () => Promise<T> }, options: { split?: boolean } = {}, maxRuns = 20_000): Promise<T[]> {
  const outcomes: T[] = []
  let prefix: number[] = []
  for (;;) {
    const store = limitsStore({ held: true, split: options.split })
    const { start } = scenario(store)
    let result: T | undefined
    let done = false
    const running = start().then((r) => {
      result = r
      done = true
    })
    const widths: number[] = []
    const choices: number[] = []
    await settle()
    while (!done) {
      const width = store.pending.length
      if (width === 0) throw new Error('the scenario waits on something other than the store')
      const choice = prefix[choices.length] ?? 0
      widths.push(width)
      choices.push(choice)
      store.step(choice)
      await settle()
    }
    await running
    outcomes.push(result as T)
    if (outcomes.length >= maxRuns) throw new Error(`more than ${maxRuns} interleavings: make the scenario smaller`)
    // The next order: the last choice that still has an untried alternative moves on, everything after it restarts.
    let i = choices.length - 1
    while (i >= 0 && choices[i]! + 1 >= widths[i]!) i--
    if (i < 0) return outcomes
    prefix = [...choices.slice(0, i), choices[i]! + 1]
  }
}
