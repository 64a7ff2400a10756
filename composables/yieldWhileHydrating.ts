// Breaks the page load's work in the browser into tasks of its own, so that the browser can paint and answer input
// between them: on a phone the app's start and its hydration were one long task each (Lighthouse's total blocking
// time, issue 13). scheduler.yield() where the browser has it (its continuation runs before other queued tasks),
// else a timer.
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler
  return scheduler?.yield ? scheduler.yield() : new Promise(resolve => setTimeout(resolve, 0))
}

// A page's setup awaits this before its own hydration: the app's frame (the header) then hydrates in one task and
// the page in the next. On the server and on a navigation in the browser it answers at once.
export function yieldWhileHydrating(): Promise<void> | undefined {
  if (import.meta.server || !useNuxtApp().isHydrating) return
  return nextTask()
}
