// snowflake-sdk probes cloud metadata services (AWS IMDS and STS, GCP, Azure) when it is first loaded,
// for its login telemetry. Tests run on no cloud: the probes only add network calls, and late ones fail
// after jest has torn a test file down. Set before any test file loads the driver (child workers inherit it).
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
