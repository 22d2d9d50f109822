import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each `pix_payments` page for the updates of the rows inserted there (issue 12's
 * benchmark): a payment is inserted, then updated by each stage soon after (settled, notified),
 * changing no indexed column. With full pages (fillfactor 100) each such update wrote its new row
 * version to another page and an entry into each of the table's five indexes; with room on the
 * page it is a heap-only (HOT) update, which touches no index, and the old versions are pruned in
 * place. Applies to the pages written from now on (existing ones keep their contents until
 * rewritten).
 */
export class PaymentsRoomForUpdates1765300000000 implements MigrationInterface {
  name = 'PaymentsRoomForUpdates1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE pix_payments SET (fillfactor = 50)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE pix_payments RESET (fillfactor)');
  }
}
