// The plain wait between two reads of a verification, when a run is given no sleep of its own.
export const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))
