import { AccountEntryEntity } from './entities/account-entry.entity';
import { AccountEntity } from './entities/account.entity';
import { PixKeyEntity } from './entities/pix-key.entity';
import { PixOutboxEntity } from './entities/pix-outbox.entity';
import { PixPaymentStageEntity } from './entities/pix-payment-stage.entity';
import { PixPaymentEntity } from './entities/pix-payment.entity';
import { CreatePixTables1765000000000 } from './migrations/1765000000000-create-pix-tables';
import { CloseAccounts1765100000000 } from './migrations/1765100000000-close-accounts';
import { OutboxPackedRecords1765200000000 } from './migrations/1765200000000-outbox-packed-records';
import { PaymentsRoomForUpdates1765300000000 } from './migrations/1765300000000-payments-room-for-updates';

/** Entities of the PIX domain, for the processor (writer) and the gateway (reader). */
export const PIX_DATA_ENTITIES = [
  AccountEntity,
  PixKeyEntity,
  PixPaymentEntity,
  PixPaymentStageEntity,
  AccountEntryEntity,
  PixOutboxEntity,
];

/**
 * Only the processor, which owns the tables, runs these, after the user migrations (an account
 * references its user).
 */
export const PIX_DATA_MIGRATIONS = [
  CreatePixTables1765000000000,
  CloseAccounts1765100000000,
  OutboxPackedRecords1765200000000,
  PaymentsRoomForUpdates1765300000000,
];
