import { PixOutboxSignal } from './outbox-signal';

describe('PixOutboxSignal', () => {
  it('tells the listeners of the destinations a commit wrote rows for, and no others', () => {
    const signal = new PixOutboxSignal();
    const heard: string[] = [];
    signal.subscribe('kafka', () => heard.push('kafka'));
    signal.subscribe('rabbitmq', () => heard.push('rabbitmq'));
    signal.committed('kafka');
    signal.committed('kafka', 'rabbitmq');
    expect(heard).toEqual(['kafka', 'kafka', 'rabbitmq']);
  });

  it('stops telling a listener once it unsubscribed', () => {
    const signal = new PixOutboxSignal();
    let heard = 0;
    const unsubscribe = signal.subscribe('kafka', () => (heard += 1));
    signal.committed('kafka');
    unsubscribe();
    signal.committed('kafka');
    expect(heard).toBe(1);
  });
});
