// Tests read the same local defaults as `npm start`; variables already set in the environment win.
const { join } = require('path');
const { existsSync } = require('fs');

const envFile = join(__dirname, '../../.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);
process.env.ENV_FILE = envFile;
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'warn';
process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
