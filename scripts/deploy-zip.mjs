// A deterministic zip of the Lambda build, written in Node so deploying needs no `zip` program.
// Same files, same bytes: entries in name order with a fixed timestamp, so an unchanged build has an
// unchanged SHA-256, an unchanged S3 key, and CloudFormation leaves the function alone.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { crc32, deflateRawSync } from 'node:zlib'

// 1980-01-01 00:00, the earliest time a zip can say: in MS-DOS format, date (1 << 5 | 1) and time 0.
const DOS_DATE = (0 << 9) | (1 << 5) | 1
const DOS_TIME = 0

/** Every file under `dir`, as paths relative to it with forward slashes, in sorted order. */
export function listFiles(dir) {
  const out = []
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      const st = statSync(full)
      if (st.isDirectory()) walk(full)
      else if (st.isFile()) out.push(relative(dir, full).split(sep).join('/'))
    }
  }
  walk(dir)
  return out.sort()
}

/**
 * Zips `entries` ({ name, data } with `name` the path inside the zip) into one Buffer.
 * Files are deflated unless that makes them larger; no zip64, so under 65,535 files of under 4 GiB.
 */
export function zipEntries(entries) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const { name, data } of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const nameBytes = Buffer.from(name, 'utf8')
    const deflated = deflateRawSync(data, { level: 9 })
    const stored = deflated.length >= data.length
    const body = stored ? data : deflated
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034B50, 0)
    local.writeUInt16LE(20, 4) // version needed: 2.0
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(stored ? 0 : 8, 8)
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(0, 28)
    locals.push(local, nameBytes, body)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014B50, 0)
    central.writeUInt16LE((3 << 8) | 20, 4) // made by: Unix, so the mode below is read
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(stored ? 0 : 8, 10)
    central.writeUInt16LE(DOS_TIME, 12)
    central.writeUInt16LE(DOS_DATE, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    // Lambda runs the code as another user than the owner: files must be world-readable (0644).
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + body.length
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0)
  const count = centrals.length / 2
  if (count > 0xFFFF || offset > 0xFFFFFFFF) throw new Error('too many or too large files for a zip without zip64')
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054B50, 0)
  end.writeUInt16LE(count, 8)
  end.writeUInt16LE(count, 10)
  end.writeUInt32LE(centralSize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...centrals, end])
}

/**
 * Zips the Lambda build: `outputDir`/server and `outputDir`/public, as server/... and public/... (the
 * template's handler is server/index.handler). Source maps are left out: the function never reads them.
 */
export function zipLambdaOutput(outputDir) {
  const entries = []
  let unzippedBytes = 0
  for (const top of ['server', 'public']) {
    const dir = join(outputDir, top)
    let files
    try {
      files = listFiles(dir)
    }
    catch (e) {
      if (e.code === 'ENOENT' && top === 'public') continue
      throw e
    }
    for (const file of files) {
      if (file.endsWith('.map')) continue
      const data = readFileSync(join(dir, file))
      unzippedBytes += data.length
      entries.push({ name: `${top}/${file}`, data })
    }
  }
  if (!entries.some(e => e.name === 'server/index.mjs')) throw new Error(`${outputDir}/server/index.mjs is missing: build with NITRO_PRESET=aws-lambda first`)
  const zip = zipEntries(entries)
  return { zip, files: entries.length, unzippedBytes, sha256: createHash('sha256').update(zip).digest('hex') }
}

/** Writes the zip of `outputDir` to `file`; answers its size and hash. */
export function writeLambdaZip(outputDir, file) {
  const result = zipLambdaOutput(outputDir)
  writeFileSync(file, result.zip)
  return { file, bytes: result.zip.length, files: result.files, unzippedBytes: result.unzippedBytes, sha256: result.sha256 }
}
