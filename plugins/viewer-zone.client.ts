// Tells the server the browser's time zone for the next page it renders (composables/useTimeFormat.ts). Written when
// the page is hidden or left, not while it loads: the zone's name comes from Intl, whose first use costs a long task.
export default defineNuxtPlugin(() => {
  const remember = () => {
    if (document.visibilityState !== 'hidden') return
    const zone = browserTimeZone()
    if (document.cookie.split('; ').includes(`${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}`)) return
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`
  }
  document.addEventListener('visibilitychange', remember)
})
