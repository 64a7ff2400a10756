#!/usr/bin/env node
// `npm run redrive`: sends what waits in the stack's dead-letter queue back to the function, as Scheduler would have,
// and deletes each message once Lambda accepted it. Each run is shown with when it was due, and nothing is sent
// without a yes (--yes for scripts): a stop due at 19:00 and sent back the next morning stops instances then.
// Safe to repeat: see scripts/redrive-lib.mjs. Uses the AWS CLI and the stack of .deploy.json, like npm run deploy.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { outputsArgs, outputsMap, parseArgs, resolveSettings, SETTINGS_FILE } from './deploy-lib.mjs'
import { deleteArgs, describePayload, invokeArgs, readMessage, receiveArgs } from './redrive-lib.mjs'

const root = resolve(import.meta.dirname, '..')

function fail(message) {
  console.error(`redrive: ${message}`)
  process.exit(1)
}

function aws(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_PAGER: '' } })
  if (r.error) fail(`${argv.slice(0, 3).join(' ')}: ${r.error.message} (is the AWS CLI installed?)`)
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
}

async function main() {
  const argv = process.argv.slice(2)
  const dryRun = argv.includes('--dry-run')
  let args
  try {
    args = parseArgs(argv.filter(a => a !== '--dry-run'))
  }
  catch (e) {
    fail(`${e.message}; options: --region, --profile, --stack-name, --yes, --dry-run`)
  }
  if (args.help) {
    console.log('usage: npm run redrive -- [--stack-name <name>] [--region <code>] [--profile <name>] [--yes] [--dry-run]')
    return
  }
  const settingsPath = resolve(root, SETTINGS_FILE)
  const saved = existsSync(settingsPath) ? JSON.parse(readFileSync(settingsPath, 'utf8')) : {}
  const s = resolveSettings({ args, saved, env: process.env })
  const described = aws(outputsArgs(s))
  if (!described.ok) fail(`cannot read the outputs of the stack ${s.stackName}: ${described.stderr.trim()}`)
  const outputs = outputsMap(JSON.parse(described.stdout || '[]'))
  const { DeadLetterQueueUrl: queue, FunctionName: fn } = outputs
  if (!queue || !fn) fail(`the stack ${s.stackName} has no DeadLetterQueueUrl or FunctionName output`)

  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-redrive-'))
  const rl = args.yes || dryRun ? null : createInterface({ input: process.stdin, output: process.stdout })
  const counts = { sent: 0, kept: 0 }
  const seen = new Set()
  try {
    for (;;) {
      const received = aws(receiveArgs(s, queue))
      if (!received.ok) fail(`receive-message failed: ${received.stderr.trim()}`)
      const messages = (JSON.parse(received.stdout || '{}').Messages ?? []).filter(m => !seen.has(m.MessageId))
      if (!messages.length) break
      for (const message of messages) {
        seen.add(message.MessageId)
        const { payload, why } = readMessage(message)
        if (!payload) {
          console.log(`- kept ${message.MessageId}: ${why}`)
          counts.kept++
          continue
        }
        console.log(`- ${describePayload(payload)}: ${why}`)
        if (dryRun || (rl && !/^y(es)?$/i.test((await rl.question('  send it back now? [y/N] ')).trim()))) {
          counts.kept++
          continue
        }
        const file = join(dir, 'payload.json')
        writeFileSync(file, JSON.stringify(payload))
        const invoked = aws(invokeArgs(s, fn, file, join(dir, 'out.json')))
        if (!invoked.ok) {
          console.error(`  not sent (the message stays): ${invoked.stderr.trim()}`)
          counts.kept++
          continue
        }
        const deleted = aws(deleteArgs(s, queue, message.ReceiptHandle))
        if (!deleted.ok) console.error(`  sent, but the message could not be deleted (sending it again acts once): ${deleted.stderr.trim()}`)
        counts.sent++
      }
    }
  }
  finally {
    rl?.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`redrive: ${counts.sent} sent back, ${counts.kept} left in ${queue}${dryRun ? ' (dry run)' : ''}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
