import { Principal, principalOf, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { PixPaymentReader } from '@event-hub/pix-data';
import { ProblemException } from '@event-hub/service-runtime';
import {
  idempotencyKeyOf,
  idempotencyKeyRequired,
  requestHash,
} from '../../command-acceptance/idempotency';
import { ApiProblemResponse, PROBLEM_EXAMPLES } from '../../docs/problem-responses';
import { PixPaymentAcceptor } from './pix-payment-acceptor';
import {
  AcceptedPixPaymentDto,
  CreatePixPaymentDto,
  PixPaymentParams,
  PixPaymentView,
  PixStatementQuery,
  PixStatementView,
} from './pix-payment.dto';
import { PixPaymentNotFoundError } from './pix-payment.errors';

const paymentUrl = (id: string) => `/pix/payments/${id}`;

@ApiTags('pix')
@Controller('pix/payments')
export class PixPaymentsController {
  private readonly reader: PixPaymentReader;

  constructor(
    private readonly acceptor: PixPaymentAcceptor,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.reader = new PixPaymentReader(db);
  }

  @Post()
  @HttpCode(202)
  @RequireScopes(SCOPES.eventsProduce)
  @ApiOperation({
    summary: 'Request a PIX payment',
    description:
      'Produces `pix.payment.requested` (platform envelope, correlation id = payment id). The ' +
      'processor records it, runs antifraud, settles it and notifies RabbitMQ (exchange `pix`); ' +
      'poll statusUrl for the state and timeline. The same Idempotency-Key with the same body ' +
      'answers the same 202 and the payment is made once.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Required: up to 200 visible ASCII characters, per API client, kept for good.',
  })
  @ApiAcceptedResponse({ type: AcceptedPixPaymentDto })
  @ApiProblemResponse(400, 'A field or the Idempotency-Key is missing or invalid', {
    validation: PROBLEM_EXAMPLES.validation('/pix/payments', [
      {
        field: 'body.amount',
        message: 'amount must be a decimal string with at most 2 decimals, e.g. "150.00"',
      },
    ]),
  })
  @ApiProblemResponse(409, 'The Idempotency-Key was used with another body', {
    reused: PROBLEM_EXAMPLES.idempotencyReused('/pix/payments'),
  })
  @ApiProblemResponse(
    503,
    'Kafka did not acknowledge the request, or Postgres is unavailable; retry with the same key',
    {},
  )
  async create(
    @Body() body: CreatePixPaymentDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedPixPaymentDto> {
    const principal = principalOf(request);
    if (!principal) throw new Error('a PIX route ran without an authenticated caller');
    const key = idempotencyKeyOf(request.headers['idempotency-key']);
    if (key === undefined) throw idempotencyKeyRequired('a retried payment must be paid once');
    const accepted = await this.acceptor.accept({
      origin: { tenantId: principal.tenantId, clientId: principal.clientId },
      idempotencyKey: key,
      claim: { key, requestHash: requestHash(request.method, request.url, request.body) },
      payerAccountId: body.payerAccountId,
      receiverKey: { type: body.receiverKey.type, value: body.receiverKey.value },
      amount: body.amount,
      description: body.description ?? null,
    });
    const url = paymentUrl(accepted.paymentId);
    void reply.header('location', url);
    if (accepted.replayed) void reply.header('idempotent-replayed', 'true');
    return { paymentId: accepted.paymentId, endToEndId: accepted.endToEndId, statusUrl: url };
  }

  @Get(':id')
  @RequireScopes()
  @ApiOperation({ summary: 'A PIX payment: its state and the timeline of its stages' })
  @ApiOkResponse({ type: PixPaymentView })
  @ApiProblemResponse(400, 'The id is not a UUID', {
    validation: PROBLEM_EXAMPLES.validation('/pix/payments/42', [
      { field: 'params.id', message: 'id must be a UUID' },
    ]),
  })
  @ApiProblemResponse(404, 'No payment with this id in the caller’s tenant', {})
  async get(
    @Param() params: PixPaymentParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<PixPaymentView> {
    const payment = await this.reader.payment(caller.tenantId, params.id);
    if (payment) return payment;
    // Accepted by this gateway, not yet recorded by the processor.
    const [requested]: {
      payment_id: string;
      end_to_end_id: string;
      payer_account_id: string;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT payment_id, end_to_end_id, payer_account_id, created_at FROM pix_payment_requests
       WHERE payment_id = $1 AND tenant_id = $2`,
      [params.id, caller.tenantId],
    );
    if (!requested) throw new PixPaymentNotFoundError(params.id);
    return {
      id: requested.payment_id,
      endToEndId: requested.end_to_end_id,
      payerAccountId: requested.payer_account_id,
      receiverAccountId: null,
      amount: null,
      description: null,
      state: 'accepted',
      rejectionCode: null,
      createdAt: requested.created_at.toISOString(),
      timeline: [],
    };
  }

  @Get()
  @RequireScopes()
  @ApiOperation({
    summary: 'Statement of an account: its payments sent and received, newest first',
  })
  @ApiOkResponse({ type: PixStatementView })
  @ApiProblemResponse(400, 'account is not a UUID, or cursor is not one this route gave', {
    validation: PROBLEM_EXAMPLES.validation('/pix/payments?account=42', [
      { field: 'query.account', message: 'account must be a UUID' },
    ]),
  })
  async statement(
    @Query() query: PixStatementQuery,
    @Principal() caller: AuthPrincipal,
  ): Promise<PixStatementView> {
    try {
      const page = await this.reader.statement(
        caller.tenantId,
        query.account,
        query.limit ?? 20,
        query.cursor,
      );
      return {
        items: page.items.map((p) => ({
          id: p.id,
          endToEndId: p.endToEndId,
          direction: p.direction,
          amount: p.amount,
          state: p.state,
          rejectionCode: p.rejectionCode,
          createdAt: p.createdAt,
        })),
        ...(page.next ? { next: page.next } : {}),
      };
    } catch (error) {
      if (error instanceof Error && error.message === 'not a statement cursor') {
        throw ProblemException.validation([
          { field: 'query.cursor', message: 'cursor is not one this route gave' },
        ]);
      }
      throw error;
    }
  }
}
