import { ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';

/**
 * Runs a terminus health check and answers with its report either way: 200 when every dependency
 * is up, 503 with the same shape (which one is down, and why) otherwise.
 */
export async function answerHealth(
  reply: FastifyReply,
  check: () => Promise<HealthCheckResult>,
): Promise<HealthCheckResult> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof ServiceUnavailableException) {
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
    throw error;
  }
}
