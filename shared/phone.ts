// Whether a request comes from a phone, for what the server renders (the cards rather than the tables) and for the
// page cache's key: Chromium says so in Sec-CH-UA-Mobile, other browsers in the user agent.

export function requestFromPhone(headers: Record<string, string | undefined>): boolean {
  const hint = headers['sec-ch-ua-mobile']
  if (hint) return hint.trim() === '?1'
  return /\bMobi|\biPhone\b|\bAndroid\b.*\bMobile\b/.test(headers['user-agent'] ?? '')
}
