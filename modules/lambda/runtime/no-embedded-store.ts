// Replaces dynalite in the Lambda build (modules/lambda aliases it here when NITRO_PRESET=aws-lambda).
// In Lambda the store is DynamoDB: the embedded store would need a writable disk that outlives the
// function (Lambda gives only /tmp, per instance), and dynalite with its LevelDB binaries would add
// megabytes to the bundle and tens of milliseconds to every cold start.
export default function dynalite(): never {
  throw new Error('the embedded store (dynalite) is not part of the Lambda build: set NUXT_STORE=dynamodb (the stack does)')
}
