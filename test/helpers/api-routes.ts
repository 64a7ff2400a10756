// Every route file under server/api as [METHOD, path template]: rules/[name].put.ts -> PUT /api/rules/:name.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const apiDir = fileURLToPath(new URL('../../server/api', import.meta.url))

export function apiRoutes(methods = ['get', 'post', 'put', 'patch', 'delete']): [string, string][] {
  const file = new RegExp(`^(.*?)(?:/?index)?\\.(${methods.join('|')})\\.ts$`)
  return readdirSync(apiDir, { recursive: true, encoding: 'utf8' })
    .map(f => file.exec(f.split('\\').join('/')))
    .filter(m => m !== null)
    .map(m => [m[2]!.toUpperCase(), `/api/${m[1]}`.replace(/\[(\w+)\]/g, ':$1').replace(/\/$/, '')] as [string, string])
    .sort(([ma, pa], [mb, pb]) => pa.localeCompare(pb) || ma.localeCompare(mb))
}
