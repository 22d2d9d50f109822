/** The batches of every selected topic in the monitor's consumer group. */
export const LOG_BATCHES = 'monitor.logs';
