// Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (see
// LAMBDA_ALIASES in esbuildOptions.mjs). Every client those bundles build is
// given its credentials (lambdaEnvironmentCredentials), so the SDK never calls
// its default chain there; leaving the chain out (profiles, SSO, web identity,
// instance metadata, and the STS and SSO clients they use) makes each bundle
// about a third smaller. A client built without credentials fails loudly.

/** The SDK's default credential chain, not bundled: calling the provider it returns rejects. */
export function defaultProvider() {
  return async () => {
    throw new Error(
      "this Lambda bundle leaves the AWS SDK's default credential chain out: give the client its credentials (lambdaEnvironmentCredentials)",
    );
  };
}
