// The sandbox's webhook receiver: a small HTTP server on loopback that a notification channel posts to, so that a new
// user sees a run's notice arrive. It checks each notice's X-Ouroboros-Signature (HMAC-SHA256 of the raw body with
// the channel's secret) and prints one line per notice.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

/** Starts the receiver on a free loopback port; `secret()` is the channel's signing secret, known once it exists. */
export async function startReceiver(secret, log = console.log) {
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret()).update(body).digest('hex')}`)
      const got = Buffer.from(String(req.headers['x-ouroboros-signature'] ?? ''))
      const signed = got.length === expected.length && timingSafeEqual(got, expected)
      let notice = {}
      try {
        notice = JSON.parse(body.toString('utf8'))
      }
      catch { /* shown as it came */ }
      log(`receiver: ${req.headers['x-ouroboros-event'] ?? '?'} for rule ${notice.rule || '-'}: ${notice.status ?? '?'}, ${notice.message ?? ''} (signature ${signed ? 'verified' : 'WRONG'})`)
      res.writeHead(signed ? 200 : 401, { 'content-type': 'text/plain' }).end(signed ? 'received by the sandbox receiver' : 'bad signature')
    })
  })
  await new Promise(ok => server.listen(0, '127.0.0.1', ok))
  return { url: `http://127.0.0.1:${server.address().port}/ouroboros`, close: () => new Promise(ok => server.close(ok)) }
}

/** Creates (or points again at this receiver) the sandbox's channel, with a signing secret the receiver knows. */
export async function sandboxChannel(appUrl, key, receiverUrl, secret) {
  const headers = { 'content-type': 'application/json', 'x-api-key': key }
  const channel = {
    name: 'sandbox-receiver',
    type: 'webhook',
    description: 'The sandbox\'s local webhook receiver: its notices show in the terminal',
    url: receiverUrl,
    secret,
    events: ['run.failed', 'run.partial', 'run.succeeded', 'run.skipped', 'run.nothing-to-do', 'instance.failed'],
    rules: 'all',
  }
  const res = await fetch(`${appUrl}/api/channels`, { method: 'POST', headers, body: JSON.stringify(channel) })
  if (res.status === 201) return channel.name
  if (res.status !== 409) throw new Error(`creating the channel ${channel.name}: ${res.status} ${await res.text()}`)
  // A sandbox started before: its channel stays, pointed at this start's receiver with this start's secret.
  const { items } = await (await fetch(`${appUrl}/api/channels`, { headers })).json()
  const { version } = items.find(c => c.name === channel.name)
  const put = await fetch(`${appUrl}/api/channels/${channel.name}`, { method: 'PUT', headers, body: JSON.stringify({ ...channel, version }) })
  if (!put.ok) throw new Error(`updating the channel ${channel.name}: ${put.status} ${await put.text()}`)
  return channel.name
}
