// Task rules:reconcile: make every schedule match its rule, arm every revert waiting for an override's end (running
// those whose time has come), and report what changed.
export default defineTask({
  meta: { name: 'rules:reconcile', description: 'Repair missing, orphan and drifted schedules, and arm the reverts of overrides' },
  async run() {
    const { schedules } = await useServices()
    const report = await reconcileSchedules(schedules)
    const { reconcileReverts } = await import('../../utils/executor/revert')
    return { result: { ...report, reverts: await reconcileReverts(await useExecutorDeps()) } }
  },
})
