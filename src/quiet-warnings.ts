/**
 * Imported first by the command-line entry points. The AWS SDK (loaded by snowflake-sdk for S3 stages)
 * prints a 7-line NodeVersionSupportWarning on every start under Node 20; its documented switch turns off
 * that one warning, nothing else. A value set by the user is kept.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
