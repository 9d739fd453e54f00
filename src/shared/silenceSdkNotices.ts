// Imported first by the entry points (local stack, command line): the AWS SDKs check these
// variables when they load. Values already set are kept.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
