// Locally, the in-process scheduler loads the rules at start and is reconciled every 10 minutes.
// In AWS, EventBridge Scheduler fires the rules and a daily schedule from the templates reconciles.
const RECONCILE_EVERY_MS = 10 * 60 * 1000

export default defineNitroPlugin((nitroApp) => {
  if (useServerConfig().scheduler.backend !== 'local') return
  let timer: ReturnType<typeof setInterval> | undefined

  const reconcile = async () => {
    try {
      const { schedules } = await useServices()
      const report = await reconcileSchedules(schedules)
      const changed = report.created.length + report.updated.length + report.deleted.length
      if (changed || report.errors.length) {
        console.info(`[ouroboros] local scheduler: ${report.rules} rules, ${report.created.length} loaded, ${report.updated.length} updated, ${report.deleted.length} removed, ${report.errors.length} errors`)
      }
      // The reverts' timers live in this process too: arm them again, and run those whose time came while it was down.
      const { reconcileReverts } = await import('../utils/executor/revert')
      const reverts = await reconcileReverts(await useExecutorDeps())
      if (reverts.ran || reverts.moved || reverts.removed || reverts.errors.length) {
        console.info(`[ouroboros] local scheduler: ${reverts.armed} reverts armed, ${reverts.ran} run, ${reverts.moved} moved with their tag, ${reverts.removed} timers removed, ${reverts.errors.length} errors${reverts.errors.length ? `: ${reverts.errors.map(e => e.message).join('; ')}` : ''}`)
      }
      // So are the follow-up checks of databases: a restart lost their timers.
      const { reconcileFollowUps } = await import('../utils/executor/follow-up-reconcile')
      const followUps = await reconcileFollowUps(await useExecutorDeps())
      if (followUps.ran || followUps.armed || followUps.errors.length) {
        console.info(`[ouroboros] local scheduler: ${followUps.armed} follow-up checks armed again, ${followUps.ran} run, ${followUps.errors.length} errors${followUps.errors.length ? `: ${followUps.errors.map(e => e.message).join('; ')}` : ''}`)
      }
      // And the runs over several accounts this process was running when it stopped.
      const runs = await resumeRuns()
      if (runs.resumed.length || runs.abandoned.length) {
        console.info(`[ouroboros] local scheduler: ${runs.resumed.length} interrupted runs finished, ${runs.abandoned.length} too old to finish logged`)
      }
    }
    catch (e) {
      console.error('[ouroboros] local scheduler: reconcile failed:', e)
    }
  }

  void reconcile()
  timer = setInterval(reconcile, RECONCILE_EVERY_MS)
  timer.unref?.()
  nitroApp.hooks.hook('close', () => {
    clearInterval(timer)
    timer = undefined
  })
})
