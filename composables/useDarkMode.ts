// Light or dark: Element Plus's dark palette applies under html.dark; the choice is kept in localStorage
// (the inline script in nuxt.config.ts applies it before the first paint).
const STORAGE_KEY = 'ouroboros:theme'

export function useDarkMode() {
  const dark = useState('dark-mode', () => false)
  // The server cannot know: read what the inline script decided once the page runs.
  onMounted(() => {
    dark.value = document.documentElement.classList.contains('dark')
  })
  function toggle(value = !dark.value) {
    dark.value = value
    document.documentElement.classList.toggle('dark', value)
    localStorage.setItem(STORAGE_KEY, value ? 'dark' : 'light')
  }
  return { dark: readonly(dark), toggle }
}
