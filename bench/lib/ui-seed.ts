// The data the UI benchmarks (lighthouse, load) show: 60 varied rules, some disabled, and a few real runs, seeded
// through the API of a built server started by startBenchServer (its bootstrap admin key).

export const UI_RULES = 60
export const UI_RUNS_LOGGED = 8
const KEY = 'bench-admin-key'

const ACCOUNTS = ['123456789012', '210987654321', '345678901234', '456789012345', '567890123456']
const TIERS = ['web', 'api', 'batch', 'worker', 'db-replica', 'analytics']
// Varied expressions that never fire during the run (year 2099), so the logs hold only the runs started here.
const SCHEDULES = [
  'cron(0 19 ? * MON-FRI 2099)', 'cron(30 7 ? * MON-FRI 2099)', 'cron(0 3 1 * ? 2099)', 'cron(15 22 ? * SUN 2099)',
  'cron(0 0/6 * * ? 2099)', 'at(2099-01-01T08:00:00)',
]
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']

/** What the seeded data is, for a benchmark's section. */
export const UI_DATA = `${UI_RULES} rules (6 tiers, 5 accounts, 6 schedule expressions, 4 time zones, every sixth disabled)`

async function post(url: string, path: string, body: unknown, expected: number): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify(body) })
  if (res.status !== expected) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
}

/** 60 varied rules (some disabled) and `runs` real runs, which fail against the closed AWS endpoint and are logged. */
export async function seedUiData(url: string, runs = UI_RUNS_LOGGED): Promise<string[]> {
  const names: string[] = []
  for (let i = 0; i < UI_RULES; i++) {
    const tier = TIERS[i % TIERS.length]!
    const action = i % 3 === 0 ? 'start' : 'stop'
    const name = `${tier}-${action}-${String(i).padStart(2, '0')}`
    names.push(name)
    await post(url, '/api/rules', {
      name,
      description: i % 4 === 0 ? '' : `${action === 'stop' ? 'Stop' : 'Start'} the ${tier} tier`,
      accountId: ACCOUNTS[i % ACCOUNTS.length],
      regions: i % 5 === 0 ? ['eu-west-1', 'eu-central-1'] : ['us-east-1'],
      action,
      ...(i % 7 === 0 ? { allInstances: true } : { filters: `tag:Name=${tier},tag:env=${i % 2 ? 'staging' : 'dev'}` }),
      scheduleExpression: SCHEDULES[i % SCHEDULES.length],
      timezone: ZONES[i % ZONES.length],
      enabled: i % 6 !== 5,
    }, 201)
  }
  for (let i = 0; i < runs; i++) await post(url, `/api/rules/${names[i]}/run`, {}, 201)
  return names
}
