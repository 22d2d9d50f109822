import { CreatePixPaymentRequests1766000000000 } from './migrations/1766000000000-create-pix-payment-requests';

/**
 * The gateway's own PIX table (Idempotency-Keys of payment requests). The PIX write model's tables
 * belong to the processor, which migrates them; the gateway only reads them.
 */
export const PIX_MIGRATIONS: (new () => object)[] = [CreatePixPaymentRequests1766000000000];
