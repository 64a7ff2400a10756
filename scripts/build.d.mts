export function withBuildLock<T>(fn: () => Promise<T> | T): Promise<T>
export function build(env?: Record<string, string>): Promise<{ status: number | null, output: string }>
