// Task rules:reconcile: make every schedule match its rule, and report what changed.
export default defineTask({
  meta: { name: 'rules:reconcile', description: 'Repair missing, orphan and drifted schedules' },
  async run() {
    const { schedules } = await useServices()
    return { result: await reconcileSchedules(schedules) }
  },
})
