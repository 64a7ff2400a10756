// How long a lazily hydrated row or card waits for the browser to be idle before it hydrates anyway. Vue's own
// default is 10 s: a browser that stays busy, or gives no idle period at all (headless Chromium after a resize and a
// screenshot, seen in the browser tests), would leave a row's buttons dead that long. Not less than 5 s: at 2 s a
// phone's page load was often still busy, and the rows hydrating then raised its total blocking time (Lighthouse,
// rules 137 ms against 42 at 5 s; docs/BENCHMARKS.md).
export const IDLE_HYDRATION_TIMEOUT_MS = 5000
