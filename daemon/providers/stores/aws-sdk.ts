// The names of the AWS SDK v3 that aws-sm:// and aws-ssm:// use, in one module: scripts/build.mjs bundles it with the
// SDK into dist/bundle/daemon/aws-sdk.mjs, so an install ships one file instead of the SDK's package tree.
// Rule: only aws-clients.ts imports it, by dynamic import on the first AWS resolve (never on the run or preload path).

export { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
export { DescribeParametersCommand, GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
