export function withBuildLock<T>(fn: () => Promise<T> | T): Promise<T>
export function build(env?: Record<string, string>): Promise<{ status: number | null, output: string }>
export function sourceFingerprint(env?: Record<string, string>): string | null
export function buildIfChanged(env?: Record<string, string>): Promise<{ status: number | null, output: string, skipped: boolean }>
export const TEST_BUILDS: { app: { NITRO_PRESET: string }, lambda: { NITRO_PRESET: string, NITRO_OUTPUT_DIR: string } }
