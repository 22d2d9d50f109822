/** The RabbitMQ topic exchange (durable) of PIX notifications. */
export const PIX_EXCHANGE = 'pix';

/**
 * Routing keys on the `pix` exchange: the name of the stage that ended the payment's flow. Only
 * these are published there; the other stages are Kafka topics only.
 */
export const PIX_ROUTING_KEYS = {
  settled: 'pix.payment.settled',
  rejected: 'pix.payment.rejected',
} as const;
