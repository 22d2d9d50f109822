// HEALTHCHECK probe for the app images (the slim base has no curl or wget).
// Probes the same port variable the app listens on (GATEWAY_PORT, ...), so an
// override in .env cannot leave the probe on a stale port; PORT is the
// build-time default. 127.0.0.1, not localhost: localhost may resolve to ::1.
// The path is the first argument: /health/ready (the default) or /health/live.
const app = (process.env.APP ?? '').toUpperCase();
const port = process.env[`${app}_PORT`] || process.env.PORT;
const path = process.argv[2] ?? '/health/ready';

fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
