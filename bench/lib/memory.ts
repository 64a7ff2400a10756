// Peak memory of this process during a phase: process.memoryUsage() sampled on a timer.
// A sample is late when the event loop is busy, so a peak between two samples can be missed.

export interface MemoryPeak {
  intervalMs: number
  samples: number
  /** At the start of the phase, in bytes. */
  rssStart: number
  heapStart: number
  /** The highest sample during the phase, in bytes. */
  rssPeak: number
  heapPeak: number
  /** process.resourceUsage().maxRSS (the process's peak since it started) at the end, in bytes. */
  maxRssEnd: number
}

/** Starts sampling every `intervalMs`; `stop()` answers the peaks. */
export function sampleMemory(intervalMs = 50): { stop: () => MemoryPeak } {
  const first = process.memoryUsage()
  let rssPeak = first.rss
  let heapPeak = first.heapUsed
  let samples = 1
  const take = () => {
    const m = process.memoryUsage()
    rssPeak = Math.max(rssPeak, m.rss)
    heapPeak = Math.max(heapPeak, m.heapUsed)
    samples++
  }
  const timer = setInterval(take, intervalMs)
  return {
    stop: () => {
      clearInterval(timer)
      take()
      return {
        intervalMs,
        samples,
        rssStart: first.rss,
        heapStart: first.heapUsed,
        rssPeak,
        heapPeak,
        maxRssEnd: process.resourceUsage().maxRSS * 1024,
      }
    },
  }
}

/** Bytes as MiB, one decimal. */
export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1)
}
